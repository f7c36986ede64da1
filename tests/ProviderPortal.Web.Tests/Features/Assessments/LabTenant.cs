using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>
/// The one setup of the assessment tests: a portal (of type <typeparamref name="TFactory"/>) with a tenant whose lab
/// environment is registered and synced, and helpers to act as the tenant and to take a sampling round by hand.
/// </summary>
public class LabTenant<TFactory> : IAsyncLifetime
    where TFactory : PortalFactory, new()
{
    public TFactory Factory { get; } = new();

    public TestTenant Tenant { get; private set; } = default!;

    public Guid EnvironmentId { get; private set; }

    public string LabRoot { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Tenant = await Factory.CreateTenantAsync("assess-lab");
        var (result, id) = await AsTenantAsync(s => s.GetRequiredService<EnvironmentService>().RegisterAsync(new EnvironmentDraft { Name = "Assessment lab", Kind = EnvironmentKind.Lab }, saveUnverified: false));
        Assert.True(result.Succeeded, result.Message);
        EnvironmentId = id!.Value;
        LabRoot = await Factory.AsSystemAsync(services => Task.FromResult(services.GetRequiredService<EnvironmentConnections>().LabRoot(EnvironmentId)));
        await WaitForSyncAsync();
    }

    /// <summary>Waits for the lab's inventory sync (a Quartz job) to succeed, at most 30 s.</summary>
    public async Task WaitForSyncAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            var state = await Factory.AsSystemAsync(services => services.GetRequiredService<PortalDbContext>().Environments.Where(e => e.Id == EnvironmentId).Select(e => e.SyncState).SingleAsync());
            if (state == SyncState.Succeeded)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The lab's inventory did not sync.");
    }

    public Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => Factory.AsSystemAsync(services =>
    {
        services.GetRequiredService<TenantScope>().UseTenant(Tenant.Id, Tenant.Admin.Email!, Tenant.Admin.Id);
        return work(services);
    });

    /// <summary>One sampling round of the assessment, as its Quartz job takes it.</summary>
    public Task SampleAsync(Guid assessmentId) => AsTenantAsync(async services =>
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var assessment = await db.Assessments.SingleAsync(a => a.Id == assessmentId);
        var environment = await db.Environments.SingleAsync(e => e.Id == assessment.EnvironmentId);
        await using var connector = services.GetRequiredService<EnvironmentConnections>().Create(environment);
        await services.GetRequiredService<AssessmentSampler>().SampleAsync(assessment, environment, connector, CancellationToken.None);
        await db.SaveChangesAsync();
        return 0;
    });

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>A lab tenant on the default test portal.</summary>
public sealed class LabTenant : LabTenant<PortalFactory>
{
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Web.Features.Invitations;

namespace ProviderPortal.Web.Tests.Features.Invitations;

public sealed class ExpireInvitationsJobTests(FastExpiryPortalFactory factory) : IClassFixture<FastExpiryPortalFactory>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private async Task<Guid> AddInvitationAsync(Guid tenantId, string email, DateTimeOffset createdAt, TimeSpan lifetime) =>
        await factory.AsSystemAsync(async services =>
        {
            services.GetRequiredService<TenantScope>().UseTenant(tenantId);
            var db = services.GetRequiredService<PortalDbContext>();
            var invitation = Invitation.Create(tenantId, email, PortalRoles.TenantMember, InvitationToken.Hash(InvitationToken.Create()), "test", createdAt, lifetime);
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
            return invitation.Id;
        });

    private Task<InvitationStatus> StatusAsync(Guid id) => factory.AsSystemAsync(services =>
        services.GetRequiredService<PortalDbContext>().Invitations.AsNoTracking().Where(i => i.Id == id).Select(i => i.Status).SingleAsync());

    [Fact]
    public async Task Execute_PastExpiry_MarksInvitationExpiredAndLeavesOpenOnePending()
    {
        var tenant = await factory.CreateTenantAsync("expiry");
        var expiredId = await AddInvitationAsync(tenant.Id, "late@expiry.example", DateTimeOffset.UtcNow.AddDays(-8), TimeSpan.FromDays(7));
        var openId = await AddInvitationAsync(tenant.Id, "early@expiry.example", DateTimeOffset.UtcNow, TimeSpan.FromDays(7));

        // The job runs every second in the background: wait for it, within a fixed deadline.
        var status = await StatusAsync(expiredId);
        var stopAt = DateTime.UtcNow + Deadline;
        while (status == InvitationStatus.Pending && DateTime.UtcNow < stopAt)
        {
            await Task.Delay(250);
            status = await StatusAsync(expiredId);
        }

        Assert.Equal(InvitationStatus.Expired, status);
        Assert.Equal(InvitationStatus.Pending, await StatusAsync(openId));
    }

    [Fact]
    public async Task AddPortalJobs_SqliteDatabase_JobStoredInQuartzTables()
    {
        _ = factory.Services; // starts the portal, and with it the scheduler
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "portal.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT JOB_NAME, JOB_GROUP FROM QRTZ_JOB_DETAILS";
        var jobs = new List<(string Name, string Group)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                jobs.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Contains((ExpireInvitationsJob.Key.Name, ExpireInvitationsJob.Key.Group), jobs);
        Assert.Contains(("expire-invitations", "invitations"), jobs);
    }
}

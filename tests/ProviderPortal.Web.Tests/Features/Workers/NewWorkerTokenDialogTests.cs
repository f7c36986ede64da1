using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Data;
using ProviderPortal.Domain.Workers;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.Workers;
using ProviderPortal.Web.Infrastructure.Identity;
using ProviderPortal.Web.Tests.Infrastructure;
using static ProviderPortal.Web.Tests.Infrastructure.DialogTesting;

namespace ProviderPortal.Web.Tests.Features.Workers;

/// <summary>The new-token dialog and the workers page over the real services: the secret is shown once, then only its hint.</summary>
public sealed class NewWorkerTokenDialogTests : PortalServicesContext, IClassFixture<NewWorkerTokenDialogTests.OneTenant>
{
    public sealed class OneTenant : IAsyncLifetime
    {
        public PortalFactory Factory { get; } = new();

        public TestTenant Tenant { get; private set; } = default!;

        public async Task InitializeAsync() => Tenant = await Factory.CreateTenantAsync("token-dialog");

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }

    private readonly OneTenant _fixture;

    public NewWorkerTokenDialogTests(OneTenant fixture)
    {
        _fixture = fixture;
    }

    private void As(System.Security.Claims.ClaimsPrincipal user)
    {
        UseServicesAs(_fixture.Factory, user, typeof(WorkerTokenService), typeof(UserPermissions), typeof(CurrentTenantInfo));
    }

    private Task<IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>> ShowDialogAsync() =>
        this.ShowDialogAsync("New worker token", new DialogParameters<NewWorkerTokenDialog> { { d => d.PortalUrl, "https://portal.example/" } }, "token-create");

    [Fact]
    public async Task Create_TenantAdmin_SecretShownOnceWithTheCommandThenGone()
    {
        As(TestUsers.AdminOf(_fixture.Tenant));
        var dialog = await ShowDialogAsync();
        Assert.Contains("a token is needed only for a worker on another machine", dialog.Markup);

        InputOf(dialog.Find("[data-testid=token-name]")).Change("appliance in Lyon");
        dialog.Find("[data-testid=token-create]").Click();

        dialog.WaitForElement("[data-testid=token-secret]");
        var secret = InputOf(dialog.Find("[data-testid=token-secret]")).GetAttribute("value")!;
        Assert.StartsWith(WorkerToken.Prefix, secret);
        var stored = await _fixture.Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().WorkerTokens.AsNoTracking().SingleAsync(t => t.Name == "appliance in Lyon"));
        Assert.Equal(WorkerToken.HashOf(secret), stored.Hash);
        Assert.Equal("providerportal-worker connect --portal https://portal.example --token-file worker.token", dialog.Find("[data-testid=token-command]").TextContent.Trim());
        Assert.Contains("PROVIDERPORTAL_WORKER_TOKEN", dialog.Markup);
        Assert.Contains("only time the token is shown", dialog.Markup);

        dialog.Find("[data-testid=token-done]").Click();
        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=token-dialog]")));
        Assert.DoesNotContain(secret, dialog.Markup);

        // The page lists it by its hint; the secret is nowhere to be shown again.
        var page = Render<WorkersPage>();
        page.WaitForAssertion(() => Assert.Contains("appliance in Lyon", page.Markup));
        Assert.Contains(stored.Hint, page.Markup);
        Assert.DoesNotContain(secret, page.Markup);
        Assert.NotEmpty(page.FindAll("[data-testid=token-new]"));
    }

    [Fact]
    public async Task Create_NoName_PlainMessageAndNoSecret()
    {
        As(TestUsers.AdminOf(_fixture.Tenant));
        var dialog = await ShowDialogAsync();

        dialog.Find("[data-testid=token-create]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("Name the token after the worker that will use it", dialog.Markup));
        Assert.Empty(dialog.FindAll("[data-testid=token-secret]"));
    }

    [Fact]
    public async Task WorkersPage_TenantMember_SeesTokensButCannotCreateOrRevoke()
    {
        var name = $"member-view-{Guid.NewGuid():N}";
        await _fixture.Factory.AsUserAsync(TestUsers.AdminOf(_fixture.Tenant), s => s.GetRequiredService<WorkerTokenService>().CreateAsync(name));
        As(TestUsers.MemberOf(_fixture.Tenant));

        var page = Render<WorkersPage>();

        page.WaitForAssertion(() => Assert.Contains(name, page.Markup));
        Assert.Empty(page.FindAll("[data-testid=token-new]"));
        Assert.Empty(page.FindAll("[data-testid=token-revoke]"));
        Assert.Contains("The portal starts local workers by itself", page.Markup);
    }
}

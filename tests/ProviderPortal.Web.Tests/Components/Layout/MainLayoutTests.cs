using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Components.Layout;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Layout;

/// <summary>MudBlazor's services are only disposable asynchronously, so the context is disposed in DisposeAsync.</summary>
public sealed class MainLayoutTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private readonly TenantScope _scope = new();
    private readonly Bunit.TestDoubles.BunitAuthorizationContext _authorization;
    private readonly SqliteConnection _connection;

    public MainLayoutTests()
    {
        _authorization = _context.AddPortalComponents();
        _connection = _context.AddPortalLayout(_scope);

        // The layout tells live tests whether the circuit is interactive (RendererInfo); here it renders as on the server.
        _context.SetRendererInfo(new RendererInfo("Server", true));
    }

    [Fact]
    public async Task Render_TenantUser_ShowsTenantNameAndSignOutForm()
    {
        var tenant = await CreateTenantAsync("Acme Hosting");
        _scope.UseTenant(tenant.Id, "admin@acme.example");
        _authorization.SetAuthorized("admin@acme.example");
        _authorization.SetRoles(PortalRoles.TenantAdmin);
        _authorization.SetClaims(new Claim(TenantScope.TenantClaimType, tenant.Id.ToString()));

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.Equal("Acme Hosting", layout.Find("[data-testid=tenant-name]").TextContent.Trim()));
        var form = layout.Find("form");
        Assert.Equal("Account/Logout", form.GetAttribute("action"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.Contains("Sign out", form.TextContent);
    }

    [Fact]
    public async Task Render_ProviderStaff_ShowsProviderStaff()
    {
        await CreateTenantAsync("Someone Else");
        _scope.UseSystem("operator@provider.example");
        _authorization.SetAuthorized("operator@provider.example");
        _authorization.SetRoles(PortalRoles.ProviderOperator);

        var layout = RenderLayout();

        Assert.Equal("Provider staff", layout.Find("[data-testid=tenant-name]").TextContent.Trim());
        Assert.Equal("Account/Logout", layout.Find("form").GetAttribute("action"));
    }

    [Fact]
    public void Render_Anonymous_ShowsNoTenantNorSignOut()
    {
        var layout = RenderLayout();

        Assert.Empty(layout.FindAll("[data-testid=tenant-name]"));
        Assert.Empty(layout.FindAll("form"));
        Assert.Contains("page body", layout.Markup);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        _context.Render<MainLayout>(p => p.Add(c => c.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

    private async Task<Tenant> CreateTenantAsync(string name)
    {
        await using var scope = _context.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.EnsureCreatedAsync();
        var slug = name.ToLowerInvariant().Replace(' ', '-');
        var tenant = Tenant.Create(new TenantDetails(name, slug, "Contact", $"contact@{slug}.example", "Europe/Paris", 2, 500), DateTimeOffset.UtcNow);
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync();
        return tenant;
    }
}

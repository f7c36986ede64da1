using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Web.Features.Tenants;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Tenants;

public sealed class TenantServiceTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static TenantDetails Details(string name, string slug) =>
        new(name, slug, "Contact", $"contact@{slug}.example", "Europe/Paris", 2, 500);

    [Fact]
    public async Task CreateAsync_DuplicateSlug_FailsWithPlainMessageAndCreatesNothing()
    {
        var existing = await factory.CreateTenantAsync("taken-slug");
        var adminEmail = "first-admin@duplicate.example";

        var (result, tenants, invitations, emails) = await factory.AsSystemAsync(async services =>
        {
            var result = await services.GetRequiredService<TenantService>().CreateAsync(Details("Another company", existing.Slug), adminEmail, "test", "http://localhost/");
            var db = services.GetRequiredService<PortalDbContext>();
            return (result,
                await db.Tenants.CountAsync(t => t.Slug == existing.Slug),
                await db.Invitations.CountAsync(i => i.Email == adminEmail),
                await db.OutboxMessages.CountAsync(m => m.ToAddress == adminEmail));
        });

        Assert.False(result.Succeeded);
        Assert.Equal("The short name \"taken-slug\" is already used by another tenant.", result.Errors["Slug"]);
        Assert.Equal(1, tenants);
        Assert.Equal(0, invitations);
        Assert.Equal(0, emails);
    }

    [Fact]
    public async Task CreateAsync_NewSlugWithAdmin_CreatesTenantInvitationAndEmail()
    {
        var adminEmail = "first-admin@fresh-slug.example";

        var (result, tenants, invitations, emails) = await factory.AsSystemAsync(async services =>
        {
            var result = await services.GetRequiredService<TenantService>().CreateAsync(Details("Fresh company", "fresh-slug"), adminEmail, "test", "http://localhost/");
            var db = services.GetRequiredService<PortalDbContext>();
            return (result,
                await db.Tenants.CountAsync(t => t.Slug == "fresh-slug"),
                await db.Invitations.CountAsync(i => i.Email == adminEmail),
                await db.OutboxMessages.CountAsync(m => m.ToAddress == adminEmail));
        });

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(1, tenants);
        Assert.Equal(1, invitations);
        Assert.Equal(1, emails);
    }

    [Fact]
    public async Task CreateAsync_ContactNameOf5000Characters_RefusedWithTheLimitAndNothingSaved()
    {
        var details = Details("Long contact", "long-contact") with { ContactName = new string('c', 5000) };

        var (result, tenants) = await factory.AsSystemAsync(async services =>
        {
            var result = await services.GetRequiredService<TenantService>().CreateAsync(details, null, "test", "http://localhost/");
            return (result, await services.GetRequiredService<PortalDbContext>().Tenants.CountAsync(t => t.Slug == "long-contact"));
        });

        Assert.Equal("The contact name can be at most 200 characters.", result.Errors["ContactName"]);
        Assert.Equal(0, tenants);
    }

    [Fact]
    public async Task CreateAsync_FirstAdminEmailOf5000Characters_SaysTheLimitAndNothingSaved()
    {
        var email = new string('a', 4988) + "@example.com";

        var (result, tenants) = await factory.AsSystemAsync(async services =>
        {
            var result = await services.GetRequiredService<TenantService>().CreateAsync(Details("Long admin", "long-admin"), email, "test", "http://localhost/");
            return (result, await services.GetRequiredService<PortalDbContext>().Tenants.CountAsync(t => t.Slug == "long-admin"));
        });

        Assert.Equal("An email address can be at most 254 characters.", result.Errors["FirstAdminEmail"]);
        Assert.Equal(0, tenants);
    }

    [Fact]
    public async Task SuspendAsync_ReasonOf5000Characters_RefusedAndStillActive()
    {
        var tenant = await factory.CreateTenantAsync("long-reason");

        var (result, suspended) = await factory.AsSystemAsync(async services =>
        {
            var result = await services.GetRequiredService<TenantService>().SuspendAsync(tenant.Id, new string('r', 5000));
            return (result, await services.GetRequiredService<PortalDbContext>().Tenants.AsNoTracking().Where(t => t.Id == tenant.Id).Select(t => t.Status).SingleAsync());
        });

        Assert.Equal("The reason can be at most 500 characters.", result.Message);
        Assert.Equal(TenantStatus.Active, suspended);
    }
}

using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Web.Features.Tenants;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Tenants;

/// <summary>The tenants page's form over the real service and database, as a ProviderAdmin: a quota is refused as typed, never clamped.</summary>
public sealed class TenantFormTests : PortalServicesContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _factory;

    public TenantFormTests(PortalFactory factory)
    {
        _factory = factory;
        Authorization.SetAuthorized("admin@provider.example").SetRoles(Domain.PortalRoles.ProviderAdmin);
        UseServicesAs(factory, TestUsers.ProviderAdmin, typeof(TenantService), typeof(ITenantContext));
    }

    private IRenderedComponent<IComponent> Show() => Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<TenantsPage>(2);
        builder.CloseComponent();
    });

    private static IElement InputOf(IElement element) =>
        element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? throw new InvalidOperationException(element.OuterHtml);

    /// <summary>The input whose label reads <paramref name="label"/>, and the field around it.</summary>
    private static IElement FieldLabelled(IRenderedComponent<IComponent> page, string label)
    {
        var forId = page.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for");
        return page.Find($"input[id='{forId}']").Closest(".mud-input-control")!;
    }

    [Fact]
    public async Task Create_ConcurrentReplicationsOver100_RefusedWithTheRangeNotClampedAndNothingSaved()
    {
        var page = Show();
        page.WaitForElement("[data-testid=tenant-new]").Click();
        InputOf(page.Find("[data-testid=tenant-name-input]")).Input("Clamp Test");
        InputOf(page.Find("[data-testid=tenant-contact-input]")).Change("Jana Weber");
        InputOf(page.Find("[data-testid=tenant-email-input]")).Change("ops@clamp.example");

        InputOf(FieldLabelled(page, "Max concurrent replications")).Change("500");
        page.Find("[data-testid=tenant-save]").Click();

        page.WaitForAssertion(() => Assert.Contains("Concurrent replications must be between 1 and 100.", FieldLabelled(page, "Max concurrent replications").TextContent));
        Assert.Equal("500", InputOf(FieldLabelled(page, "Max concurrent replications")).GetAttribute("value"));
        Assert.Equal(0, await _factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().Tenants.CountAsync(t => t.Slug == "clamp-test")));
    }
}

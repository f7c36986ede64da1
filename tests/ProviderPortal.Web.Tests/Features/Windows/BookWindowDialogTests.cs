using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Infrastructure;
using static ProviderPortal.Web.Tests.Infrastructure.DialogTesting;

namespace ProviderPortal.Web.Tests.Features.Windows;

/// <summary>The booking dialog over the real service and database, as tenant A's member: the window's length is refused as typed, never clamped.</summary>
public sealed class BookWindowDialogTests : PortalServicesContext, IClassFixture<WindowWorld>
{
    private readonly WindowWorld _world;

    public BookWindowDialogTests(WindowWorld world)
    {
        _world = world;
        UseServicesAs(world.Factory, TestUsers.MemberOf(world.A), typeof(WindowService));
    }

    private async Task<IRenderedComponent<IComponent>> ShowAsync()
    {
        return await this.ShowDialogAsync("Cutover window", new DialogParameters<BookWindowDialog>
        {
            { d => d.Zone, WindowWorld.Paris },
            { d => d.Suggested, WindowWorld.Local(6, 2) },
        }, "book-save");
    }

    [Fact]
    public async Task Request_99999Minutes_RefusedNamingTheLimits_NotBookedAs24Hours()
    {
        var plan = await _world.DraftAsync(_world.A, "dialog-long");
        var dialog = await ShowAsync();
        dialog.WaitForAssertion(() => Assert.Contains("dialog-long", dialog.Markup));

        InputOf(dialog.Find("[data-testid=book-minutes]")).Change("99999");
        dialog.Find("[data-testid=book-save]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("A window lasts between 30 min and 24 h (1,440 min).", FieldText(dialog, "book-minutes")));
        Assert.Equal("99999", InputOf(dialog.Find("[data-testid=book-minutes]")).GetAttribute("value"));
        Assert.Empty(await _world.WindowsOfAsync(plan));
    }

    [Fact]
    public async Task Request_MinutesThatAreNoWholeNumber_SaysSoAndCannotRequest()
    {
        var plan = await _world.DraftAsync(_world.A, "dialog-text");
        var dialog = await ShowAsync();
        dialog.WaitForAssertion(() => Assert.Contains("dialog-text", dialog.Markup));

        InputOf(dialog.Find("[data-testid=book-minutes]")).Change("1,5");

        dialog.WaitForAssertion(() => Assert.True(dialog.Find("[data-testid=book-save]").HasAttribute("disabled")));
        Assert.Contains("Enter a whole number, in digits only.", FieldText(dialog, "book-minutes"));
        Assert.Empty(await _world.WindowsOfAsync(plan));
    }
}

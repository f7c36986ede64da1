using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;
using static ProviderPortal.Web.Tests.Infrastructure.DialogTesting;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>The catalog's add dialog as a ProviderAdmin: the validation's own messages, nothing saved until they are met.</summary>
public sealed class SeedDeviceModelDialogTests : PortalServicesContext, IClassFixture<SeedDeviceWorld>
{
    private readonly SeedDeviceWorld _world;

    public SeedDeviceModelDialogTests(SeedDeviceWorld world)
    {
        _world = world;
        UseServicesAs(world.Factory, TestUsers.ProviderAdmin, typeof(SeedDeviceCatalogService));
    }

    private static string Text(IRenderedComponent<IComponent> rendered) => string.Concat(rendered.Nodes.Select(n => n.TextContent));

    private async Task<IRenderedComponent<IComponent>> ShowAsync()
    {
        return await this.ShowDialogAsync<SeedDeviceModelDialog>("Add a device model", null, "seed-model-save");
    }

    [Fact]
    public async Task Save_TooSmallAndNoName_ValidationMessagesShownAndNothingSaved()
    {
        var before = await _world.Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().ListAsync());
        var dialog = await ShowAsync();

        InputOf(dialog.Find("[data-testid=seed-model-capacity]")).Change("0.5");
        dialog.Find("[data-testid=seed-model-save]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("Enter the model's name.", Text(dialog)));
        Assert.Contains("A device holds at least 1 GiB.", Text(dialog));
        var after = await _world.Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().ListAsync());
        Assert.Equal(before.Count, after.Count);
    }

    [Fact]
    public async Task Save_Valid_AddedToTheCatalog()
    {
        var dialog = await ShowAsync();

        InputOf(dialog.Find("[data-testid=seed-model-name]")).Change("16 TB rugged disk");
        InputOf(dialog.Find("[data-testid=seed-model-capacity]")).Change("16000");
        dialog.Find("[data-testid=seed-model-save]").Click();

        dialog.WaitForAssertion(() => Assert.Empty(dialog.FindAll("[data-testid=seed-model-dialog]")));
        var rows = await _world.Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().ListAsync());
        Assert.Equal(16_000_000_000_000, rows.Single(r => r.Name == "16 TB rugged disk").Details.UsableCapacityBytes);
    }

    [Theory]
    [InlineData("2,5", "Enter a number in digits, with a point for decimals (such as 2.5).")] // once saved as 25 GB
    [InlineData("1e4", "Enter a number in digits, with a point for decimals (such as 2.5).")]
    [InlineData("99999999999999999999", "That number is too large.")] // once "A device holds at least 1 GiB."
    public async Task Save_CapacityNotReadAsTyped_SaysSoAndNothingSaved(string typed, string message)
    {
        var name = $"Typed capacity {typed.GetHashCode(StringComparison.Ordinal):x}";
        var dialog = await ShowAsync();
        InputOf(dialog.Find("[data-testid=seed-model-name]")).Change(name);

        InputOf(dialog.Find("[data-testid=seed-model-capacity]")).Change(typed);
        dialog.Find("[data-testid=seed-model-save]").Click();

        dialog.WaitForAssertion(() => Assert.Contains(message, InputOf(dialog.Find("[data-testid=seed-model-capacity]")).Closest(".mud-input-control")!.TextContent));
        var rows = await _world.Factory.AsUserAsync(TestUsers.ProviderAdmin, s => s.GetRequiredService<SeedDeviceCatalogService>().ListAsync());
        Assert.DoesNotContain(rows, r => r.Name == name);
    }

    [Fact]
    public async Task Save_NegativeShippingDays_RefusedWithTheRangeNotMadeZero()
    {
        var dialog = await ShowAsync();
        InputOf(dialog.Find("[data-testid=seed-model-name]")).Change("Negative shipping");

        InputOf(dialog.Find("[data-testid=seed-model-shipping]")).Change("-3");
        dialog.Find("[data-testid=seed-model-save]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("Shipping takes between 0 and 60 days each way.", Text(dialog)));
        Assert.Equal("-3", InputOf(dialog.Find("[data-testid=seed-model-shipping]")).GetAttribute("value"));
    }
}

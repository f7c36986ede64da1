using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Web.Features.Windows;
using ProviderPortal.Web.Tests.Features.SeedDevices;
using ProviderPortal.Web.Tests.Features.Windows;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Home;

/// <summary>The staff's home says what waits for them: window requests to decide and device orders at their step, with where to act.</summary>
public sealed class StaffHomeTests(SeedDeviceWorld world) : IClassFixture<SeedDeviceWorld>
{
    [Fact]
    public async Task Home_Staff_WindowRequestAndDeviceOrderWaiting_CountedWithLinks_NothingWaitingOnlyWhenNothingIs()
    {
        var operatorBrowser = await world.Factory.SignInAsync("operator@provider.example");
        var before = await operatorBrowser.GetStringAsync("/");
        Assert.Contains("Nothing waiting for you", before);

        await world.OrderAsync(world.A, "Home order plan");
        var planId = await world.PlanAsync(world.A, "Home window plan");
        var requested = await world.Factory.AsUserAsync(TestUsers.MemberOf(world.A), s =>
            s.GetRequiredService<WindowService>().RequestAsync(planId, WindowWorld.Local(5, 10), TimeSpan.FromHours(2)));
        Assert.True(requested.Succeeded, requested.Message);

        foreach (var email in new[] { "operator@provider.example", "admin@provider.example" })
        {
            var browser = await world.Factory.SignInAsync(email);
            var home = await browser.GetStringAsync("/");
            Assert.DoesNotContain("Nothing waiting for you", home);
            Assert.Contains("1 window request to decide", home);
            Assert.Contains("href=\"provider/windows\"", home);
            Assert.Contains("1 device order to approve", home);
            Assert.Contains("href=\"provider/seed-devices/orders\"", home);
        }
    }
}

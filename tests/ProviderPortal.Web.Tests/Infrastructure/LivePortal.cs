using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// The portal on a real Kestrel port and a real Chromium (Debian's, driven by Playwright), so the
/// interactive pages run over their live SignalR circuit as a user's browser runs them.
/// </summary>
public class LivePortal : PortalFactory, IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where screenshots go: artifacts/screenshots at the repository root.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var path = Path.Combine(RepositoryRoot.Path, "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);

        // Static web assets (blazor.web.js, MudBlazor's files) are served from their packages only in
        // Development when the app runs from its build output rather than a publish folder.
        builder.UseEnvironment("Development");
    }

    public async Task InitializeAsync()
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), "Chromium is missing: tests/run.sh installs it (apt-get install chromium).");

        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');

        // Expectations wait up to 15 s (Playwright's default is 5 s): on two busy cores a dialog's round trip over the
        // circuit can take longer than 5 s while other test classes build disks and run workers.
        Assertions.SetDefaultExpectTimeout(15_000);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH", Path.Combine(DataDirectory, "playwright"));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A new browser profile signed in through the real login form, on the page given.</summary>
    public async Task<IPage> OpenSignedInAsync(string email, string path)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1300, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{BaseUrl}/Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await page.GotoAsync(BaseUrl + path);
        try
        {
            await WaitForCircuitAsync(page);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"The live page never became interactive at {page.Url}:\n{(await page.ContentAsync())[..Math.Min(3000, (await page.ContentAsync()).Length)]}");
        }

        return page;
    }

    /// <summary>
    /// Waits until Blazor's circuit has rendered the page, so clicks reach the server: the prerendered markup
    /// looks the same, but a click on it before the circuit attaches is lost.
    /// </summary>
    public static async Task WaitForCircuitAsync(IPage page) =>
        await page.Locator(".mud-layout[data-circuit=ready]").WaitForAsync(new() { Timeout = 60_000 });

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }

        await base.DisposeAsync();
    }
}

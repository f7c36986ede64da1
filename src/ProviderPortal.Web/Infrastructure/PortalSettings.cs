using Microsoft.Extensions.Configuration.Json;

namespace ProviderPortal.Web.Infrastructure;

/// <summary>
/// Finds the one appsettings.json at the repository root (or beside the published binaries) and the
/// data folder, so `dotnet run` from anywhere and the published app read the same settings.
/// </summary>
public static class PortalSettings
{
    /// <summary>Where the portal listens when no address is configured.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    private const string SolutionFile = "ProviderPortal.sln";

    public static WebApplicationBuilder AddPortalSettings(this WebApplicationBuilder builder)
    {
        var root = FindRoot(builder.Environment.ContentRootPath);
        var source = new JsonConfigurationSource { Path = Path.Combine(root, "appsettings.json"), Optional = true };
        source.ResolveFileProvider();

        // First, so environment variables, the command line and test settings override it.
        builder.Configuration.Sources.Insert(0, source);
        builder.Configuration["Portal:Root"] ??= root;

        // Any address configured (--urls, ASPNETCORE_URLS, the container images' ASPNETCORE_HTTP_PORTS, Kestrel endpoints)
        // wins, in ASP.NET Core's own order; only without one does the portal listen where the README says.
        if (new[] { "urls", "http_ports", "https_ports" }.All(key => string.IsNullOrEmpty(builder.Configuration[key]))
            && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        return builder;
    }

    /// <summary>The data folder: Portal:DataDirectory, relative to the root unless absolute; created if missing.</summary>
    public static string DataDirectory(IConfiguration configuration)
    {
        var root = configuration["Portal:Root"] ?? AppContext.BaseDirectory;
        var directory = Path.GetFullPath(Path.Combine(root, configuration["Portal:DataDirectory"] ?? "data"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string FindRoot(string contentRoot)
    {
        for (var directory = new DirectoryInfo(contentRoot); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

namespace ProviderPortal.Web.Features.Migration;

/// <summary>This portal node's name (Portal:NodeName, else the machine's name and process id): where a worker is connected.</summary>
public sealed class PortalNode(IConfiguration configuration)
{
    public string Name { get; } = configuration["Portal:NodeName"] is { Length: > 0 } name ? name : $"{Environment.MachineName}-{Environment.ProcessId}";
}

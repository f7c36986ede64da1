namespace ProviderPortal.Web.Features.Migration;

/// <summary>The <c>Workers</c> section: the worker processes the portal starts on its own node.</summary>
public sealed class WorkerOptions
{
    /// <summary>Start a local worker for a tenant with copies waiting and no worker connected (the embedded default).</summary>
    public bool Local { get; set; } = true;

    /// <summary>The worker to start: a native executable, or a .dll run with this process's dotnet host. Default: providerportal-worker.dll beside the portal.</summary>
    public string? Executable { get; set; }

    /// <summary>The address local workers connect to; default: this node's own HTTP address.</summary>
    public string? PortalUrl { get; set; }

    /// <summary>Copies one local worker runs at once.</summary>
    public int Slots { get; set; } = 2;

    /// <summary>The first wait before a worker that died is started again; it doubles up to a minute while it keeps dying.</summary>
    public double RestartDelaySeconds { get; set; } = 1;

    /// <summary>How often the supervisor stops local workers whose tenant has nothing left to copy.</summary>
    public int IdleSeconds { get; set; } = 60;
}

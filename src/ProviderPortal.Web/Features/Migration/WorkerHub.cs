using Microsoft.AspNetCore.SignalR;

namespace ProviderPortal.Web.Features.Migration;

/// <summary>The hub workers connect to (see WorkerProtocol). In progress: authentication and reports arrive next.</summary>
public sealed class WorkerHub : Hub
{
}

namespace ProviderPortal.Web.Features.Home;

/// <summary>What waits for provider staff across every tenant: window requests to decide, device orders at a staff step.</summary>
public sealed record StaffInbox(int WindowRequests, DateTimeOffset? SoonestRequest, int OrdersToApprove, int OrdersToShip, int OrdersToReceive, int OrdersToIngest, int OrdersToClose)
{
    public int DeviceOrders => OrdersToApprove + OrdersToShip + OrdersToReceive + OrdersToIngest + OrdersToClose;

    public bool IsEmpty => WindowRequests == 0 && DeviceOrders == 0;
}

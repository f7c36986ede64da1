using MudBlazor;
using ProviderPortal.Domain.SeedDevices;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>How an order's status reads on the pages: what happened, and whose move it is.</summary>
public static class SeedDeviceText
{
    public static string Status(SeedDeviceOrderStatus status) => status switch
    {
        SeedDeviceOrderStatus.Requested => "Awaiting approval",
        SeedDeviceOrderStatus.Approved => "Approved, to ship",
        SeedDeviceOrderStatus.Shipped => "Shipped to the tenant",
        SeedDeviceOrderStatus.Delivered => "Delivered, to load",
        SeedDeviceOrderStatus.Loading => "Loading",
        SeedDeviceOrderStatus.Loaded => "Loaded, to ship back",
        SeedDeviceOrderStatus.ReturnShipped => "Shipped back",
        SeedDeviceOrderStatus.Received => "Received, to ingest",
        SeedDeviceOrderStatus.Ingesting => "Ingesting",
        SeedDeviceOrderStatus.Ingested => "Ingested",
        SeedDeviceOrderStatus.Closed => "Closed",
        SeedDeviceOrderStatus.Cancelled => "Cancelled",
        _ => status.ToString(),
    };

    public static Color Color(SeedDeviceOrderStatus status) => status switch
    {
        SeedDeviceOrderStatus.Cancelled => MudBlazor.Color.Default,
        SeedDeviceOrderStatus.Closed or SeedDeviceOrderStatus.Ingested => MudBlazor.Color.Success,
        SeedDeviceOrderStatus.Requested or SeedDeviceOrderStatus.Approved or SeedDeviceOrderStatus.Received => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Info,
    };

    /// <summary>The name of a step in the order's history.</summary>
    public static string Step(SeedDeviceOrderStatus status) => status switch
    {
        SeedDeviceOrderStatus.ReturnShipped => "Shipped back",
        SeedDeviceOrderStatus.Loading => "Loading started",
        _ => status.ToString(),
    };

    public static string Devices(SeedDeviceOrderRow order) => order.DeviceCount == 1 ? $"1 × {order.ModelName}" : $"{order.DeviceCount} × {order.ModelName}";

    /// <summary>The non-empty lines of a text box (device folders, one per line), trimmed.</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
}

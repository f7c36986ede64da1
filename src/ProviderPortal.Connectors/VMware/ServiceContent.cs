using System.Xml.Linq;

namespace ProviderPortal.Connectors.VMware;

/// <summary>The parts of vim25's ServiceContent the connector uses.</summary>
internal sealed record ServiceContent(
    ManagedObject RootFolder,
    ManagedObject PropertyCollector,
    ManagedObject ViewManager,
    ManagedObject SessionManager,
    string Product,
    string Version,
    string? ApiVersion)
{
    public static ServiceContent Read(XElement content)
    {
        ManagedObject Ref(string name) => ManagedObject.Parse(content.Element(Vim.Ns + name) ?? throw Vim.Malformed($"a ServiceContent without {name}"));
        var about = content.Element(Vim.Ns + "about");
        return new ServiceContent(
            Ref("rootFolder"),
            Ref("propertyCollector"),
            Ref("viewManager"),
            Ref("sessionManager"),
            Vim.Child(about, "fullName") ?? Vim.Child(about, "name") ?? "vCenter",
            Vim.Child(about, "version") ?? "",
            Vim.Child(about, "apiVersion"));
    }
}

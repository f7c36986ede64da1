using System.Xml.Linq;

namespace ProviderPortal.Connectors.VMware;

/// <summary>A vim25 managed object reference: its type ("VirtualMachine") and its moref value ("vm-42").</summary>
internal readonly record struct ManagedObject(string Type, string Value)
{
    public static ManagedObject Parse(XElement element) =>
        new((string?)element.Attribute("type") ?? "", element.Value.Trim());

    public XElement ToElement(string name) => new(Vim.Ns + name, new XAttribute("type", Type), Value);

    public override string ToString() => $"{Type} {Value}";
}

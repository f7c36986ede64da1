using System.Xml.Linq;

namespace ProviderPortal.Connectors.VMware;

/// <summary>One object of a property collector answer: its reference and the values of the paths asked for.</summary>
internal sealed record VimObject(ManagedObject Ref, IReadOnlyDictionary<string, XElement> Values)
{
    public XElement? Get(string path) => Values.GetValueOrDefault(path);

    public string? Text(string path) => Values.TryGetValue(path, out var value) ? value.Value : null;
}

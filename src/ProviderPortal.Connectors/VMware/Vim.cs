using System.Globalization;
using System.Xml.Linq;

namespace ProviderPortal.Connectors.VMware;

/// <summary>vim25 XML: the request pieces the connector sends and readers for the answers. Elements follow the WSDL's order.</summary>
internal static class Vim
{
    public static readonly XNamespace Ns = "urn:vim25";
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static XElement El(string name, object? content) => new(Ns + name, content);

    public static XElement Bool(string name, bool value) => new(Ns + name, value ? "true" : "false");

    public static XElement Number(string name, long value) => new(Ns + name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A PropertyFilterSpec reading <paramref name="paths"/> of <paramref name="type"/> from each object.</summary>
    public static XElement FilterSpec(IEnumerable<(string Type, string[] Paths)> propSets, IEnumerable<XElement> objectSets) =>
        new(Ns + "specSet",
            propSets.Select(p => new XElement(Ns + "propSet", El("type", p.Type), p.Paths.Select(path => El("pathSet", path)))),
            objectSets);

    public static XElement ObjectSet(ManagedObject obj) => new(Ns + "objectSet", obj.ToElement("obj"), Bool("skip", false));

    /// <summary>Every object a ContainerView holds, not the view itself.</summary>
    public static XElement ViewObjectSet(ManagedObject view) =>
        new(Ns + "objectSet",
            view.ToElement("obj"),
            Bool("skip", true),
            new XElement(Ns + "selectSet", new XAttribute(Xsi + "type", "TraversalSpec"), El("name", "view"), El("type", "ContainerView"), El("path", "view"), Bool("skip", false)));

    /// <summary>The objects of a RetrievePropertiesEx/ContinueRetrievePropertiesEx answer and its continuation token.</summary>
    public static (List<VimObject> Objects, string? Token) ReadRetrieveResult(XElement response)
    {
        var result = response.Element(Ns + "returnval");
        if (result is null)
        {
            return ([], null);
        }

        var objects = result.Elements(Ns + "objects").Select(ReadObject).ToList();
        var token = result.Element(Ns + "token")?.Value;
        return (objects, string.IsNullOrEmpty(token) ? null : token);
    }

    public static VimObject ReadObject(XElement content)
    {
        var values = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var prop in content.Elements(Ns + "propSet"))
        {
            var name = prop.Element(Ns + "name")?.Value;
            var value = prop.Element(Ns + "val");
            if (name is not null && value is not null)
            {
                values[name] = value;
            }
        }

        return new VimObject(ManagedObject.Parse(content.Element(Ns + "obj") ?? throw Malformed("an object without obj")), values);
    }

    /// <summary>The xsi:type of an element without its namespace prefix ("VirtualDisk").</summary>
    public static string? TypeOf(XElement element)
    {
        var type = (string?)element.Attribute(Xsi + "type");
        return type is null ? null : type[(type.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    public static string? Child(XElement? element, string name) => element?.Element(Ns + name)?.Value;

    public static long? Long(XElement? element, string name) =>
        long.TryParse(Child(element, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A LocalizedMethodFault element (a task's info.error, a missingSet fault) as an exception.</summary>
    public static VimFaultException ReadLocalizedFault(XElement localized)
    {
        var fault = localized.Element(Ns + "fault");
        var type = fault is null ? "Fault" : TypeOf(fault) ?? "Fault";
        return new VimFaultException(type, Child(localized, "localizedMessage") ?? "");
    }

    /// <summary>A SOAP Fault element as an exception: the type from the detail (xsi:type or the element name), the text from faultstring.</summary>
    public static VimFaultException ReadSoapFault(XElement fault)
    {
        var detail = fault.Element("detail")?.Elements().FirstOrDefault();
        var type = detail is null ? "Fault" : TypeOf(detail) ?? TrimFault(detail.Name.LocalName);
        return new VimFaultException(type, fault.Element("faultstring")?.Value ?? "");
    }

    public static InvalidDataException Malformed(string what) => new($"vCenter answered {what}.");

    private static string TrimFault(string name) => name.EndsWith("Fault", StringComparison.Ordinal) && name.Length > 5 ? name[..^5] : name;
}

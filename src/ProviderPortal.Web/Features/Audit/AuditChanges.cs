using System.Text.Json;

namespace ProviderPortal.Web.Features.Audit;

/// <summary>Turns an audit entry's before/after JSON into lines a person reads: "Name: old → new".</summary>
public static class AuditChanges
{
    public static IReadOnlyList<string> Describe(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var lines = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var before = property.Value.TryGetProperty("before", out var b) ? Text(b) : null;
                var after = property.Value.TryGetProperty("after", out var a) ? Text(a) : null;
                lines.Add((before, after) switch
                {
                    (null, _) => $"{property.Name}: {after}",
                    (_, null) => $"{property.Name}: {before}",
                    _ => $"{property.Name}: {before} → {after}",
                });
            }

            return lines;
        }
        catch (JsonException)
        {
            return [json];
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "(empty)",
        JsonValueKind.String => value.GetString() ?? "",
        _ => value.GetRawText(),
    };
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProviderPortal.Web.Components.Shared;

namespace ProviderPortal.Web.Features.Audit;

/// <summary>
/// Turns an audit entry into lines a person reads, "Status: Replicating → Paused": names of properties and of enum
/// values in words, ids replaced by the name of what they refer to, dates in the reader's zone, sizes in bytes units,
/// JSON columns summed up (a plan's VMs by name, a VM's disks by label and size). What the reader may not see
/// (<see cref="ProviderDetails"/>) is left out.
/// </summary>
public static partial class AuditChanges
{
    private static readonly Dictionary<string, string> EntityWords = new(StringComparer.Ordinal)
    {
        ["MigrationPlan"] = "Migration plan",
        ["VmReplication"] = "VM replication",
        ["ReplicationTask"] = "Copy",
        ["SourceEnvironment"] = "Environment",
        ["DestinationSite"] = "Destination",
        ["User"] = "User",
        ["UserRole"] = "User role",
        ["UserToken"] = "User sign-in key",
        ["UserClaim"] = "User claim",
    };

    // Labels that splitting the name into words would get wrong.
    private static readonly Dictionary<string, string> PropertyWords = new(StringComparer.Ordinal)
    {
        ["VmId"] = "VM ID",
        ["VmName"] = "VM name",
        ["Vms"] = "VMs",
        ["VmReplicationId"] = "VM",
        ["SeedChangeIds"] = "Seed change IDs",
        ["SnapshotChangeIds"] = "Snapshot change IDs",
        ["ThrottleMbps"] = "Throttle (Mbit/s)",
        ["BandwidthCapMbps"] = "Bandwidth cap (Mbit/s)",
    };

    // Enum values named as the pages name them.
    private static readonly Dictionary<string, string> EnumWords = new(StringComparer.Ordinal)
    {
        ["VCenter"] = "VMware vCenter",
        ["XenOrchestra"] = "Xen Orchestra",
    };

    // Not worth a line: the row's own key, its tenant (the page says whose it is), copies kept only for lookups.
    private static readonly HashSet<string> Skipped = ["Id", "TenantId", "NormalizedEmail", "NormalizedUserName", "NormalizedName", "ConcurrencyStamp"];

    // In a JSON column, the field that names an item (a VM, a disk, a model...).
    private static readonly string[] ItemNames = ["Name", "VmName", "Label", "DiskKey"];

    /// <summary>The kind of thing an entry is about, in words ("Migration plan", "Worker session").</summary>
    public static string Entity(string entityType) => EntityWords.GetValueOrDefault(entityType) ?? Sentence(entityType);

    public static IReadOnlyList<string> Describe(string entityType, string json, AuditWording wording)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var lines = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (Skipped.Contains(property.Name) || wording.Hidden.Hides(entityType, property.Name))
                {
                    continue;
                }

                var type = wording.PropertyType(entityType, property.Name);
                var before = property.Value.TryGetProperty("before", out var b) ? Value(property.Name, type, b, wording) : null;
                var after = property.Value.TryGetProperty("after", out var a) ? Value(property.Name, type, a, wording) : null;
                var label = Label(property.Name, type);
                lines.Add((before, after) switch
                {
                    (null, _) => $"{label}: {after}",
                    (_, null) => $"{label}: {before}",
                    _ => $"{label}: {before} → {after}",
                });
            }

            // Only bookkeeping changed (a concurrency stamp), or only what this reader may not see.
            return lines.Count == 0 ? ["No details to show."] : lines;
        }
        catch (JsonException)
        {
            return [wording.Hidden.Scrub(json)];
        }
    }

    private static string Label(string property, Type? type)
    {
        if (PropertyWords.TryGetValue(property, out var words))
        {
            return words;
        }

        // An id of something else reads as that thing: "PlanId: (its name)" is "Plan: wave 1".
        var isReference = property.Length > 2 && property.EndsWith("Id", StringComparison.Ordinal) && (type == typeof(Guid) || type == typeof(string));
        return Sentence(isReference ? property[..^2] : property);
    }

    private static string Value(string property, Type? type, JsonElement value, AuditWording wording) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "(empty)",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => Items(value, wording),
        JsonValueKind.Object => Fields(value, wording),
        _ when type is { IsEnum: true } => EnumName(type, value),
        JsonValueKind.Number when property.Contains("Bytes", StringComparison.Ordinal) && value.TryGetInt64(out var bytes) => Figures.Bytes(bytes),
        JsonValueKind.Number => value.GetRawText(),
        _ => Text(property, type, value.GetString() ?? "", wording),
    };

    private static string Text(string property, Type? type, string text, AuditWording wording)
    {
        if (text.StartsWith("(secret", StringComparison.Ordinal))
        {
            return text;
        }

        if ((type == typeof(Guid) || property.EndsWith("Id", StringComparison.Ordinal)) && wording.NameOf(text) is { } name)
        {
            return name;
        }

        if (type == typeof(Guid))
        {
            // Something that is gone, or not the reader's to see: its id says nothing to a person.
            return wording.Hidden.ForTenant ? "(removed)" : text;
        }

        if ((type == typeof(DateTimeOffset) || type is null) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && text.Contains('T', StringComparison.Ordinal))
        {
            return TimeZoneInfo.ConvertTime(at, wording.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }

        if (type == typeof(TimeSpan) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var duration))
        {
            return Figures.Duration(duration);
        }

        return wording.Hidden.Scrub(text);
    }

    private static string EnumName(Type type, JsonElement value)
    {
        var name = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? Enum.GetName(type, Enum.ToObject(type, number))
            : value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return name is null ? value.GetRawText() : EnumWords.GetValueOrDefault(name) ?? Sentence(name);
    }

    /// <summary>A list column: its items by name ("web-01, db-01"), disks with their size, mappings as "from → to".</summary>
    private static string Items(JsonElement array, AuditWording wording)
    {
        var items = array.EnumerateArray().Select(item => item.ValueKind switch
        {
            JsonValueKind.Object => Item(item, wording),
            JsonValueKind.String => Text("", null, item.GetString() ?? "", wording),
            _ => item.GetRawText(),
        }).ToList();
        return items.Count == 0 ? "none" : string.Join(", ", items);
    }

    private static string Item(JsonElement item, AuditWording wording)
    {
        string? Field(string name) => item.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.String ? field.GetString() : null;

        if (Field("SourceNetwork") is { } from)
        {
            return $"{wording.Hidden.Scrub(from)} → {wording.Hidden.Scrub(Field("DestinationNetwork") ?? "")}";
        }

        var name = ItemNames.Select(Field).FirstOrDefault(n => !string.IsNullOrEmpty(n));
        var text = name is null ? "an item" : wording.Hidden.Scrub(name);
        if (item.TryGetProperty("CapacityBytes", out var capacity) && capacity.TryGetInt64(out var bytes))
        {
            text += $" ({Figures.Bytes(bytes)})";
        }

        foreach (var path in item.EnumerateObject().Where(f => ProviderDetails.IsPathField(f.Name) && f.Value.ValueKind == JsonValueKind.String))
        {
            if (!wording.Hidden.HidesField(path.Name))
            {
                text += $" to {path.Value.GetString()}";
            }
        }

        return text;
    }

    /// <summary>An object column (an address, dates per step): "Field: value; Field: value".</summary>
    private static string Fields(JsonElement value, AuditWording wording)
    {
        var fields = value.EnumerateObject()
            .Where(f => !wording.Hidden.HidesField(f.Name))
            .Select(f => $"{Sentence(f.Name)}: {Value(f.Name, null, f.Value, wording)}")
            .ToList();
        return fields.Count == 0 ? "none" : string.Join("; ", fields);
    }

    /// <summary>"StartOnDestination" → "Start on destination", "ReadyForCutover" → "Ready for cutover".</summary>
    private static string Sentence(string name)
    {
        var words = WordBreak().Split(name).Where(w => w.Length > 0).ToList();
        return string.Join(' ', words.Select((w, i) => i == 0 || w.All(char.IsUpper) ? w : w.ToLowerInvariant()));
    }

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex WordBreak();
}

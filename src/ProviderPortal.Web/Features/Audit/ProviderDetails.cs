using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;

namespace ProviderPortal.Web.Features.Audit;

/// <summary>
/// The one place that decides what of the audit log is the provider's own business, never shown to a tenant: where
/// disks are written (a destination's location, a disk's target), the seed devices' folders as the provider mounts them,
/// and the provider's servers (portal nodes, their processes and connections). Entries keep them, so provider staff
/// read them all; a tenant's reading drops those properties and fields, and replaces those values in any text
/// (an error that quotes a path, the name of a worker the portal runs on one of its servers).
/// </summary>
public sealed class ProviderDetails
{
    public const string DestinationWord = "(destination)";

    public const string ServerWord = "(provider's server)";

    private static readonly HashSet<(string Entity, string Property)> HiddenProperties =
    [
        ("DestinationSite", "Location"),
        ("ReplicationTask", "SeedFolders"),
        ("WorkerSession", "Node"),
        ("WorkerSession", "ConnectionId"),
        ("WorkerSession", "ProcessId"),
    ];

    // Inside a JSON column (a VM's or a copy's disks): where the disk is written.
    private static readonly HashSet<string> HiddenFields = ["Target"];

    private readonly bool _forTenant;
    private readonly IReadOnlyList<(string Value, string Word)> _replacements;

    private ProviderDetails(bool forTenant, IReadOnlyList<(string Value, string Word)> replacements)
    {
        _forTenant = forTenant;
        _replacements = replacements;
    }

    /// <summary>For provider staff: nothing hidden.</summary>
    public static ProviderDetails None { get; } = new(false, []);

    /// <summary>
    /// For a tenant: the provider's values its entries could quote. <paramref name="quoted"/> are paths found in the
    /// entries themselves (disk targets); the rest is read as the provider (destinations are everyone's, nodes are where
    /// the tenant's workers connected), so a value is hidden even when the row it came from is gone.
    /// </summary>
    public static async Task<ProviderDetails> ForTenantAsync(PortalDbContext db, IEnumerable<string> quoted, string thisNode, CancellationToken cancellationToken)
    {
        var locations = await db.DestinationSites.AsNoTracking().Select(d => d.Location).ToListAsync(cancellationToken);
        var nodes = await db.WorkerSessions.AsNoTracking().Select(s => s.Node).Distinct().ToListAsync(cancellationToken);
        var targets = (await db.VmReplications.AsNoTracking().Select(v => v.Disks).ToListAsync(cancellationToken)).SelectMany(d => d).Select(d => d.Target);
        var paths = quoted.Concat(targets).Concat(locations).Select(p => (Value: p, Word: DestinationWord));
        var servers = nodes.Append(thisNode).Select(n => (Value: n, Word: ServerWord));

        // Longest first, so a disk's full path goes before the destination root it starts with.
        return new(true, paths.Concat(servers)
            .Where(r => !string.IsNullOrWhiteSpace(r.Value) && r.Value.Trim().Length > 1)
            .DistinctBy(r => r.Value)
            .OrderByDescending(r => r.Value.Length)
            .ToList());
    }

    /// <summary>True for a tenant's reading.</summary>
    public bool ForTenant => _forTenant;

    /// <summary>The JSON fields that name where a disk is written (read from the entries, to hide them everywhere).</summary>
    public static bool IsPathField(string field) => HiddenFields.Contains(field);

    public bool Hides(string entityType, string property) => _forTenant && HiddenProperties.Contains((entityType, property));

    public bool HidesField(string field) => _forTenant && HiddenFields.Contains(field);

    public string Scrub(string text) =>
        _replacements.Aggregate(text, (current, r) => current.Replace(r.Value, r.Word, StringComparison.OrdinalIgnoreCase));
}

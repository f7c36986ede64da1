using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Audit;
using ProviderPortal.Web.Features.Migration;

namespace ProviderPortal.Web.Features.Audit;

public sealed record AuditQuery(Guid? TenantId = null, string? EntityType = null, AuditAction? Action = null, string? User = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 0, int PageSize = 25);

/// <summary>
/// One change as a reader sees it: <see cref="What"/> kind of thing in words, <see cref="Subject"/> its name (when it has
/// one the reader may see), <see cref="Changes"/> in words. <see cref="EntityId"/> is the row's key, for provider staff.
/// </summary>
public sealed record AuditRow(Guid Id, DateTimeOffset At, string? TenantName, string UserName, string What, string? Subject, string EntityId, AuditAction Action, IReadOnlyList<string> Changes);

public sealed record AuditResults(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>
/// Reads the audit log; the tenant filter limits a tenant administrator to its own tenant, and <see cref="ProviderDetails"/>
/// keeps the provider's own details out of what a tenant reads. Changes come in words (<see cref="AuditChanges"/>).
/// </summary>
public sealed partial class AuditService(PortalDbContext db, ITenantContext reader, PortalNode node)
{
    public async Task<AuditResults> QueryAsync(AuditQuery query, TimeZoneInfo? zone = null, CancellationToken cancellationToken = default)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (query.TenantId is { } tenantId)
        {
            entries = entries.Where(e => e.TenantId == tenantId);
        }

        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            entries = entries.Where(e => e.EntityType == query.EntityType);
        }

        if (query.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(query.User))
        {
            var user = query.User.Trim();
            entries = entries.Where(e => e.UserName.Contains(user));
        }

        if (query.From is { } from)
        {
            entries = entries.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            entries = entries.Where(e => e.At < to);
        }

        var total = await entries.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var page = await entries.OrderByDescending(e => e.At).ThenBy(e => e.Id)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);

        var tenantIds = page.Where(e => e.TenantId != null).Select(e => e.TenantId!.Value).Distinct().ToList();
        var tenantNames = await db.Tenants.Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var hidden = reader.TenantId is null
            ? ProviderDetails.None
            : await ProviderDetails.ForTenantAsync(db, page.SelectMany(e => PathsIn(e.Changes)), node.Name, cancellationToken);
        var wording = new AuditWording(db.Model, await NamesAsync(page, cancellationToken), zone ?? TimeZoneInfo.Utc, hidden);
        var rows = page.Select(e => new AuditRow(e.Id, e.At, e.TenantId is { } id ? tenantNames.GetValueOrDefault(id, "(removed)") : null,
            hidden.Scrub(e.UserName), AuditChanges.Entity(e.EntityType), wording.NameOf(e.EntityId), e.EntityId, e.Action,
            AuditChanges.Describe(e.EntityType, e.Changes, wording))).ToList();
        return new AuditResults(rows, total);
    }

    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken cancellationToken = default) =>
        await db.AuditEntries.Select(e => e.EntityType).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);

    /// <summary>
    /// The names of what the page's entries refer to by id, as far as the reader can see them (the tenant filter applies):
    /// plans, VMs, environments, destinations, users, tenants, workers and their tokens, seed-device models, assessments.
    /// </summary>
    private async Task<Dictionary<string, string>> NamesAsync(IReadOnlyList<AuditEntry> page, CancellationToken cancellationToken)
    {
        var ids = page.Select(e => e.EntityId).Concat(page.SelectMany(e => IdPattern().Matches(e.Changes).Select(m => m.Value)))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var guids = ids.Select(id => Guid.TryParse(id, out var guid) ? guid : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add<T>(IEnumerable<T> rows, Func<T, string> id, Func<T, string> name)
        {
            foreach (var row in rows)
            {
                names.TryAdd(id(row), name(row));
            }
        }

        if (guids.Count == 0)
        {
            return names;
        }

        Add(await db.MigrationPlans.AsNoTracking().Where(p => guids.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.VmReplications.AsNoTracking().Where(v => guids.Contains(v.Id)).Select(v => new { v.Id, v.VmName }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.VmName);
        Add(await db.Environments.AsNoTracking().Where(e => guids.Contains(e.Id)).Select(e => new { e.Id, e.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.DestinationSites.AsNoTracking().Where(d => guids.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.Tenants.AsNoTracking().Where(t => guids.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.WorkerTokens.AsNoTracking().Where(t => guids.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.WorkerSessions.AsNoTracking().Where(s => guids.Contains(s.Id)).Select(s => new { s.Id, s.WorkerName }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.WorkerName);
        Add(await db.SeedDeviceModels.AsNoTracking().Where(m => guids.Contains(m.Id)).Select(m => new { m.Id, m.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.Assessments.AsNoTracking().Where(a => guids.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Name);
        Add(await db.Invitations.AsNoTracking().Where(i => guids.Contains(i.Id)).Select(i => new { i.Id, i.Email }).ToListAsync(cancellationToken), r => r.Id.ToString(), r => r.Email);

        // Users: a tenant's reader sees its own tenant's users only.
        var userIds = ids.ToList();
        var users = db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id));
        if (reader.TenantId is { } tenantId)
        {
            users = users.Where(u => u.TenantId == tenantId);
        }

        Add(await users.Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(cancellationToken), r => r.Id, r => string.IsNullOrWhiteSpace(r.DisplayName) ? r.Email ?? r.Id : r.DisplayName);
        return names;
    }

    /// <summary>Where disks are written, as the entries quote them (a VM's disks), so a tenant's reading hides them everywhere.</summary>
    private static IEnumerable<string> PathsIn(string changes)
    {
        if (!changes.Contains("\"Target\"", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(changes);
            return document.RootElement.EnumerateObject()
                .SelectMany(p => p.Value.ValueKind == JsonValueKind.Object ? p.Value.EnumerateObject().Select(v => v.Value) : [])
                .Where(v => v.ValueKind == JsonValueKind.Array)
                .SelectMany(v => v.EnumerateArray())
                .Where(item => item.ValueKind == JsonValueKind.Object)
                .SelectMany(item => item.EnumerateObject())
                .Where(f => ProviderDetails.IsPathField(f.Name) && f.Value.ValueKind == JsonValueKind.String)
                .Select(f => f.Value.GetString()!)
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex IdPattern();
}

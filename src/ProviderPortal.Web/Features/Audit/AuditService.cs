using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Domain.Audit;

namespace ProviderPortal.Web.Features.Audit;

public sealed record AuditQuery(Guid? TenantId = null, string? EntityType = null, AuditAction? Action = null, string? User = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Page = 0, int PageSize = 25);

public sealed record AuditRow(Guid Id, DateTimeOffset At, string? TenantName, string UserName, string EntityType, string EntityId, AuditAction Action, string Changes);

public sealed record AuditResults(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>Reads the audit log; the tenant filter limits a tenant administrator to its own tenant.</summary>
public sealed class AuditService(PortalDbContext db)
{
    public async Task<AuditResults> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
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
        var names = await db.Tenants.Where(t => tenantIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken);
        var rows = page.Select(e => new AuditRow(e.Id, e.At, e.TenantId is { } id ? names.GetValueOrDefault(id, "(removed)") : null,
            e.UserName, e.EntityType, e.EntityId, e.Action, e.Changes)).ToList();
        return new AuditResults(rows, total);
    }

    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken cancellationToken = default) =>
        await db.AuditEntries.Select(e => e.EntityType).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);
}

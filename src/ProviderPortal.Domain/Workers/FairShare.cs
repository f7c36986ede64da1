namespace ProviderPortal.Domain.Workers;

/// <summary>
/// Hands queued copies to connected workers: never more than the portal's capacity in all, never more than a tenant's
/// own limit, and fairly between tenants. Each free place goes to the tenant running the fewest copies (the one waiting
/// longest on a tie), so a tenant with 100 queued copies does not starve one with 2. A copy goes only to a worker of
/// its own tenant.
/// </summary>
public static class FairShare
{
    public sealed record QueuedCopy(Guid TaskId, Guid TenantId, DateTimeOffset QueuedAt);

    public sealed record Worker(Guid SessionId, Guid TenantId, int FreeSlots);

    public sealed record Assignment(Guid TaskId, Guid SessionId, Guid TenantId);

    /// <param name="running">Copies running now, per tenant.</param>
    /// <param name="limits">Each tenant's most concurrent copies.</param>
    /// <param name="capacity">Places free across all tenants (the portal's limit minus all running copies).</param>
    public static IReadOnlyList<Assignment> Assign(
        IEnumerable<QueuedCopy> queued, IReadOnlyDictionary<Guid, int> running, IReadOnlyDictionary<Guid, int> limits, IEnumerable<Worker> workers, int capacity)
    {
        var queues = queued.GroupBy(q => q.TenantId)
            .ToDictionary(g => g.Key, g => new Queue<QueuedCopy>(g.OrderBy(q => q.QueuedAt).ThenBy(q => q.TaskId)));
        var free = workers.Where(w => w.FreeSlots > 0).GroupBy(w => w.TenantId).ToDictionary(g => g.Key, g => g.ToDictionary(w => w.SessionId, w => w.FreeSlots));
        var counts = new Dictionary<Guid, int>(running);
        var assignments = new List<Assignment>();

        while (capacity > 0)
        {
            var next = queues
                .Where(q => q.Value.Count > 0
                    && free.TryGetValue(q.Key, out var slots) && slots.Values.Any(s => s > 0)
                    && counts.GetValueOrDefault(q.Key) < limits.GetValueOrDefault(q.Key))
                .OrderBy(q => counts.GetValueOrDefault(q.Key))
                .ThenBy(q => q.Value.Peek().QueuedAt)
                .ThenBy(q => q.Key)
                .Select(q => (Guid?)q.Key)
                .FirstOrDefault();
            if (next is not { } tenant)
            {
                break;
            }

            var copy = queues[tenant].Dequeue();
            var slotsOfTenant = free[tenant];
            var session = slotsOfTenant.OrderByDescending(s => s.Value).ThenBy(s => s.Key).First().Key;
            slotsOfTenant[session]--;
            counts[tenant] = counts.GetValueOrDefault(tenant) + 1;
            capacity--;
            assignments.Add(new Assignment(copy.TaskId, session, tenant));
        }

        return assignments;
    }
}

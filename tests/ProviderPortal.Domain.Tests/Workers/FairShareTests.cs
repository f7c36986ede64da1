using ProviderPortal.Domain.Workers;
using static ProviderPortal.Domain.Workers.FairShare;

namespace ProviderPortal.Domain.Tests.Workers;

/// <summary>Free places go to tenants fairly, within the portal's capacity and each tenant's limit, to their own workers only.</summary>
public class FairShareTests
{
    private static readonly Guid A = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000000");
    private static readonly Guid B = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000000");
    private static readonly Guid C = Guid.Parse("cccccccc-0000-0000-0000-000000000000");

    private static List<QueuedCopy> Queue(Guid tenant, int count, int startMinute = 0) =>
        [.. Enumerable.Range(0, count).Select(i => new QueuedCopy(Guid.NewGuid(), tenant, Given.Now.AddMinutes(startMinute + i)))];

    private static Worker WorkerOf(Guid tenant, int slots) => new(Guid.NewGuid(), tenant, slots);

    private static Dictionary<Guid, int> Limits(int each) => new() { [A] = each, [B] = each, [C] = each };

    private static readonly Dictionary<Guid, int> NoneRunning = [];

    [Fact]
    public void Assign_PortalCapacity_NeverExceeded()
    {
        var assigned = Assign(Queue(A, 10), NoneRunning, Limits(10), [WorkerOf(A, 16)], capacity: 3);

        Assert.Equal(3, assigned.Count);
    }

    [Fact]
    public void Assign_NoCapacity_Nothing() =>
        Assert.Empty(Assign(Queue(A, 3), NoneRunning, Limits(10), [WorkerOf(A, 16)], capacity: 0));

    [Fact]
    public void Assign_TenantLimit_CountsWhatAlreadyRuns()
    {
        var assigned = Assign(Queue(A, 10), new Dictionary<Guid, int> { [A] = 3 }, Limits(4), [WorkerOf(A, 16)], capacity: 10);

        Assert.Single(assigned);
    }

    [Fact]
    public void Assign_TenantWithoutLimit_GetsNothing() =>
        Assert.Empty(Assign(Queue(A, 3), NoneRunning, new Dictionary<Guid, int>(), [WorkerOf(A, 16)], capacity: 10));

    [Fact]
    public void Assign_ManyQueuedAgainstFew_FewerIsNotStarved()
    {
        // A queued 100 copies long before B queued 2; B still gets its share at once.
        var queued = Queue(A, 100).Concat(Queue(B, 2, startMinute: 500)).ToList();

        var assigned = Assign(queued, NoneRunning, Limits(10), [WorkerOf(A, 10), WorkerOf(B, 10)], capacity: 4);

        Assert.Equal(2, assigned.Count(a => a.TenantId == A));
        Assert.Equal(2, assigned.Count(a => a.TenantId == B));
    }

    [Fact]
    public void Assign_OneTenantAlreadyRunsMore_TheOtherCatchesUpFirst()
    {
        var queued = Queue(A, 10).Concat(Queue(B, 10, startMinute: 100)).ToList();

        var assigned = Assign(queued, new Dictionary<Guid, int> { [A] = 3 }, Limits(10), [WorkerOf(A, 10), WorkerOf(B, 10)], capacity: 4);

        // B catches up to A's three first; on the tie, A's copy has waited longer.
        Assert.Equal(3, assigned.Count(a => a.TenantId == B));
        Assert.Equal(1, assigned.Count(a => a.TenantId == A));
    }

    [Fact]
    public void Assign_LeftoverCapacity_GoesToTheTenantStillQueued()
    {
        var queued = Queue(A, 10).Concat(Queue(B, 1)).ToList();

        var assigned = Assign(queued, NoneRunning, Limits(10), [WorkerOf(A, 10), WorkerOf(B, 10)], capacity: 6);

        Assert.Equal(5, assigned.Count(a => a.TenantId == A));
        Assert.Equal(1, assigned.Count(a => a.TenantId == B));
    }

    [Fact]
    public void Assign_CopiesGoOnlyToOwnTenantsWorkers()
    {
        var workers = new[] { WorkerOf(A, 2), WorkerOf(B, 2) };
        var queued = Queue(A, 5).Concat(Queue(B, 5)).Concat(Queue(C, 5)).ToList();

        var assigned = Assign(queued, NoneRunning, Limits(10), workers, capacity: 100);

        var tenantOfSession = workers.ToDictionary(w => w.SessionId, w => w.TenantId);
        var tenantOfTask = queued.ToDictionary(q => q.TaskId, q => q.TenantId);
        Assert.Equal(4, assigned.Count);
        Assert.All(assigned, a => Assert.Equal(tenantOfTask[a.TaskId], tenantOfSession[a.SessionId]));
        Assert.DoesNotContain(assigned, a => a.TenantId == C);
    }

    [Fact]
    public void Assign_WorkerSlots_NeverOverfilledAndSpread()
    {
        var first = WorkerOf(A, 2);
        var second = WorkerOf(A, 1);

        var assigned = Assign(Queue(A, 10), NoneRunning, Limits(10), [first, second], capacity: 10);

        Assert.Equal(3, assigned.Count);
        Assert.Equal(2, assigned.Count(a => a.SessionId == first.SessionId));
        Assert.Equal(1, assigned.Count(a => a.SessionId == second.SessionId));
    }

    [Fact]
    public void Assign_TieOnRunning_LongestWaitingFirst()
    {
        var queued = Queue(A, 1, startMinute: 10).Concat(Queue(B, 1, startMinute: 5)).ToList();

        var assigned = Assign(queued, NoneRunning, Limits(10), [WorkerOf(A, 1), WorkerOf(B, 1)], capacity: 1);

        Assert.Equal(B, Assert.Single(assigned).TenantId);
    }

    [Fact]
    public void Assign_WithinATenant_OldestCopyFirst()
    {
        var queued = Queue(A, 3);

        var assigned = Assign(queued.AsEnumerable().Reverse(), NoneRunning, Limits(10), [WorkerOf(A, 10)], capacity: 2);

        Assert.Equal(queued.Take(2).Select(q => q.TaskId), assigned.Select(a => a.TaskId));
    }
}

using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Web.Features.Progress;

/// <summary>
/// One round of the group's copies (the copies queued together: every VM's baseline, a delta cycle, the final copies):
/// how many copies it holds and how many are done, with its figures summed over all of them.
/// </summary>
public sealed record GroupRound(ReplicationTaskKind Kind, DateTimeOffset QueuedAt, int Copies, int CopiesDone, ProgressFigures Figures)
{
    public string Title => TitleOf(Kind);

    /// <summary>"Baseline copies", "Delta cycle", "Final copies"…</summary>
    public static string TitleOf(ReplicationTaskKind kind) => kind switch
    {
        ReplicationTaskKind.Baseline => "Baseline copies",
        ReplicationTaskKind.Delta => "Delta cycle",
        ReplicationTaskKind.Final => "Final copies",
        ReplicationTaskKind.SeedLoad => "Loading the seed devices",
        ReplicationTaskKind.SeedIngest => "Seed device ingest",
        _ => kind.ToString(),
    };

    /// <summary>
    /// Copies of whole disks (baselines, seed loads and ingests) are never larger than the disks: until its worker has
    /// measured one, the round counts its disks' capacity. A delta's size is known only once measured.
    /// </summary>
    public static bool BoundedByCapacity(ReplicationTaskKind kind) =>
        kind is ReplicationTaskKind.Baseline or ReplicationTaskKind.SeedLoad or ReplicationTaskKind.SeedIngest;
}

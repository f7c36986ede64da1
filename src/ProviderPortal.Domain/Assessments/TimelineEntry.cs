namespace ProviderPortal.Domain.Assessments;

/// <summary>One bar of the projected timeline: offsets from the start of the migration, so a chart can draw it.</summary>
/// <param name="VmId">The VM it belongs to; null for device and group bars.</param>
/// <param name="Cycle">1-based delta-cycle number; null for other phases.</param>
/// <param name="Bytes">Bytes it moves (0 for shipping and handling).</param>
public sealed record TimelineEntry(TimelinePhase Phase, string? VmId, int? Cycle, TimeSpan Start, TimeSpan End, long Bytes, string Label);

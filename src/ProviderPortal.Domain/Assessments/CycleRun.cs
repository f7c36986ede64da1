namespace ProviderPortal.Domain.Assessments;

/// <summary>One VM's catch-up delta cycles, in seconds from the start of the migration and bytes.</summary>
/// <param name="Residual">Converged: the steady-state delta r × I. Otherwise what is left (ρ ≥ 1: the first delta).</param>
/// <param name="ReadyAt">End of the last catch-up cycle (or the start, when no cycle runs).</param>
internal sealed record CycleRun(IReadOnlyList<CycleSpan> Cycles, bool Converged, double Rho, double Residual, double ReadyAt, string? Reason);

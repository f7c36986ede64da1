namespace ProviderPortal.Domain.Assessments;

internal readonly record struct CycleSpan(double Start, double End, double Bytes);

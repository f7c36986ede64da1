namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// Tests that compare a forecast with elapsed time: xunit runs this collection on its own, after every parallel one,
/// so what they measure is the portal's work and not the other test classes sharing the machine's two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone";
}

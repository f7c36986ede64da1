namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>The portal in the Development environment, as the README's first command (`dotnet run`) starts it.</summary>
public sealed class DevelopmentPortalFactory : PortalFactory
{
    protected override string EnvironmentName => "Development";
}

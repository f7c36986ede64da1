using ProviderPortal.Web.Infrastructure.FirstRun;

namespace ProviderPortal.Web.Tests.Infrastructure.FirstRun;

public sealed class FirstRunSeederTests
{
    [Fact]
    public void GeneratePassword_ManyTimes_AlwaysMeetsThePolicyAndNeverRepeats()
    {
        var passwords = Enumerable.Range(0, 500).Select(_ => FirstRunSeeder.GeneratePassword()).ToList();

        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        Assert.All(passwords, p =>
        {
            Assert.Equal(16, p.Length);
            Assert.Contains(p, char.IsAsciiLetterLower);
            Assert.Contains(p, char.IsAsciiLetterUpper);
            Assert.Contains(p, char.IsAsciiDigit);
        });
    }
}

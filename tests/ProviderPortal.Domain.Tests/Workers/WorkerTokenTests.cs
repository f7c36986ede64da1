using System.Security.Cryptography;
using System.Text;
using ProviderPortal.Domain.Workers;

namespace ProviderPortal.Domain.Tests.Workers;

/// <summary>A worker token is shown once and kept only as its hash.</summary>
public class WorkerTokenTests
{
    private static readonly Guid Tenant = Guid.NewGuid();

    [Fact]
    public void Issue_SecretStartsWithPrefixAndOnlyItsSha256IsKept()
    {
        var (token, secret) = WorkerToken.Issue(Tenant, " appliance in Frankfurt ", "ada@acme.example", isLocal: false, Given.Now);

        Assert.StartsWith("ppw_", secret);
        Assert.True(secret.Length >= 40, secret);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), token.Hash);
        Assert.Equal(WorkerToken.HashOf(secret), token.Hash);
        Assert.Equal("appliance in Frankfurt", token.Name);
        Assert.Equal(Tenant, token.TenantId);
        Assert.Equal("ada@acme.example", token.CreatedBy);
        Assert.False(token.IsLocal);
        Assert.False(token.IsRevoked);
        var kept = string.Join("|", token.Name, token.Hash, token.Hint, token.CreatedBy);
        Assert.DoesNotContain(secret, kept);
    }

    [Fact]
    public void Issue_HintIsAShortPrefixNotTheSecret()
    {
        var (token, secret) = WorkerToken.Issue(Tenant, "w", "ada", false, Given.Now);

        Assert.StartsWith("ppw_", token.Hint);
        Assert.StartsWith(token.Hint, secret);
        Assert.True(token.Hint.Length <= 8);
        Assert.NotEqual(secret, token.Hint);
    }

    [Fact]
    public void Issue_TwoTokens_DifferentSecretsAndHashes()
    {
        var (first, a) = WorkerToken.Issue(Tenant, "w", "ada", false, Given.Now);
        var (second, b) = WorkerToken.Issue(Tenant, "w", "ada", false, Given.Now);

        Assert.NotEqual(a, b);
        Assert.NotEqual(first.Hash, second.Hash);
        Assert.NotEqual(WorkerToken.HashOf(a), WorkerToken.HashOf(b));
    }

    [Theory]
    [InlineData("", "Name the token after the worker that will use it, such as \"appliance in Frankfurt\".")]
    [InlineData("   ", "Name the token after the worker that will use it, such as \"appliance in Frankfurt\".")]
    public void Issue_NoName_PlainMessage(string name, string expected) =>
        Assert.Equal(expected, Assert.Throws<DomainException>(() => WorkerToken.Issue(Tenant, name, "ada", false, Given.Now)).Message);

    [Fact]
    public void Issue_NameTooLong_SaysTheLimit() =>
        Assert.Equal("The name can be at most 100 characters.", Assert.Throws<DomainException>(() => WorkerToken.Issue(Tenant, new string('w', 101), "ada", false, Given.Now)).Message);

    [Fact]
    public void Revoke_Twice_SecondRefusedAndFirstTimeKept()
    {
        var (token, _) = WorkerToken.Issue(Tenant, "appliance", "ada", false, Given.Now);

        token.Revoke(Given.Now.AddDays(1));
        var error = Assert.Throws<DomainException>(() => token.Revoke(Given.Now.AddDays(2)));

        Assert.Equal("The token \"appliance\" is already revoked.", error.Message);
        Assert.Equal(Given.Now.AddDays(1), token.RevokedAt);
        Assert.True(token.IsRevoked);
    }

    [Fact]
    public void Session_Open_TakesTenantAndLocalnessFromTheToken()
    {
        var (token, _) = WorkerToken.Issue(Tenant, "local", "portal", isLocal: true, Given.Now);

        var session = WorkerSession.Open(token, "conn-1", "node-a", "  ", "1.0", 99, 42, Given.Now);

        Assert.Equal(Tenant, session.TenantId);
        Assert.Equal(token.Id, session.TokenId);
        Assert.True(session.IsLocal);
        Assert.Equal("worker", session.WorkerName);
        Assert.Equal(16, session.Slots);
        Assert.True(session.IsConnected);
        session.Close(Given.Now.AddMinutes(1));
        Assert.False(session.IsConnected);
    }
}

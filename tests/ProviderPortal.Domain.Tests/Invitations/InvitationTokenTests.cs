using System.Security.Cryptography;
using System.Text;
using ProviderPortal.Domain.Invitations;

namespace ProviderPortal.Domain.Tests.Invitations;

public class InvitationTokenTests
{
    [Fact]
    public void Create_TwoCalls_GiveDifferentUrlSafeTokens()
    {
        var first = InvitationToken.Create();
        var second = InvitationToken.Create();

        Assert.NotEqual(first, second);
        Assert.Equal(43, first.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", first);
    }

    [Fact]
    public void Hash_SameToken_GivesSameHash()
    {
        var token = InvitationToken.Create();

        Assert.Equal(InvitationToken.Hash(token), InvitationToken.Hash(token));
    }

    [Fact]
    public void Hash_KnownToken_IsItsSha256InHex()
    {
        var expected = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("abc")));

        Assert.Equal("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", expected);
        Assert.Equal(expected, InvitationToken.Hash("abc"));
    }

    [Fact]
    public void Hash_Token_DiffersFromTokenAndFromOtherTokensHash()
    {
        var token = InvitationToken.Create();

        Assert.NotEqual(token, InvitationToken.Hash(token));
        Assert.NotEqual(InvitationToken.Hash(token), InvitationToken.Hash(InvitationToken.Create()));
    }
}

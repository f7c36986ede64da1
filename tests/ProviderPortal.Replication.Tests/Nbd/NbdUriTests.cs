using ProviderPortal.Replication.Nbd;

namespace ProviderPortal.Replication.Tests.Nbd;

public class NbdUriTests
{
    [Fact]
    public void Parse_TcpWithoutPort_UsesDefaultPort()
    {
        var uri = NbdUri.Parse("nbd://host.example/disk%201");

        Assert.Equal("host.example", uri.Host);
        Assert.Equal(10809, uri.Port);
        Assert.Equal("disk 1", uri.Export);
        Assert.False(uri.IsUnixSocket);
    }

    [Fact]
    public void Parse_TcpWithPortAndIpv6_ReadsBoth()
    {
        Assert.Equal(("127.0.0.1", 4000, "x"), Describe(NbdUri.Parse("nbd://127.0.0.1:4000/x")));
        Assert.Equal(("::1", 4001, ""), Describe(NbdUri.Parse("nbd://[::1]:4001")));
    }

    [Fact]
    public void Parse_UnixSocket_ReadsSocketAndExport()
    {
        var uri = NbdUri.Parse("nbd+unix:///disk?socket=/run/nbd/a.sock");

        Assert.True(uri.IsUnixSocket);
        Assert.Equal("/run/nbd/a.sock", uri.SocketPath);
        Assert.Equal("disk", uri.Export);
        Assert.Equal(uri, NbdUri.Parse(uri.ToString()));
    }

    [Theory]
    [InlineData("http://host/x")]
    [InlineData("nbd://:10809/x")]
    [InlineData("nbd://host:99999/x")]
    [InlineData("nbd+unix:///disk")]
    [InlineData("")]
    public void TryParse_NotAnNbdLocation_IsRefusedWithReason(string text)
    {
        Assert.False(NbdUri.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => NbdUri.Parse(text));
    }

    private static (string?, int, string) Describe(NbdUri uri) => (uri.Host, uri.Port, uri.Export);
}

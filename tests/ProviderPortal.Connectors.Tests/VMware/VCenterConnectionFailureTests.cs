using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ProviderPortal.Connectors.VMware;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Environments.Connectors;

using ProviderPortal.TestPeers.Vcsim;

namespace ProviderPortal.Connectors.Tests.VMware;

/// <summary>Endpoints that are not a working vCenter: each failure has its own kind and comes within the request timeout.</summary>
public sealed class VCenterConnectionFailureTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);
    private const string Pin = "AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";

    [Fact]
    public async Task TestConnectionAsync_NothingListens_ThrowsConnectionRefused()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var error = await FailAsync(new Uri($"https://127.0.0.1:{port}"));

        Assert.Equal(ConnectorErrorKind.ConnectionRefused, error.Kind);
    }

    [Fact]
    public async Task TestConnectionAsync_HostDoesNotResolve_ThrowsUnreachable()
    {
        var error = await FailAsync(new Uri("https://vcenter.does-not-exist.invalid"));

        Assert.Equal(ConnectorErrorKind.Unreachable, error.Kind);
    }

    [Fact]
    public async Task TestConnectionAsync_ListenerNeverAnswers_ThrowsTimeoutWithinRequestTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var accepted = new CancellationTokenSource();
        // Accepts and then says nothing, not even the TLS handshake.
        var holder = Task.Run(async () =>
        {
            var clients = new List<TcpClient>();
            try
            {
                while (true)
                {
                    clients.Add(await silent.AcceptTcpClientAsync(accepted.Token));
                }
            }
            catch (OperationCanceledException)
            {
                clients.ForEach(c => c.Dispose());
            }
        });
        var clock = Stopwatch.StartNew();

        var error = await FailAsync(new Uri($"https://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"));

        await accepted.CancelAsync();
        await holder;
        Assert.Equal(ConnectorErrorKind.Timeout, error.Kind);
        Assert.InRange(clock.Elapsed, RequestTimeout * 0.9, RequestTimeout * 3);
    }

    [Fact]
    public async Task TestConnectionAsync_HttpEndpoint_ThrowsInvalidEndpoint()
    {
        var error = await FailAsync(new Uri("http://127.0.0.1:1"));

        Assert.Equal(ConnectorErrorKind.InvalidEndpoint, error.Kind);
    }

    private static async Task<ConnectorException> FailAsync(Uri endpoint)
    {
        await using var connector = new VCenterConnector(Settings(endpoint));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ConnectorException>(() => connector.TestConnectionAsync(CancellationToken.None));
        Assert.True(clock.Elapsed < RequestTimeout * 3, $"the failure took {clock.Elapsed}");
        return error;
    }

    private static ConnectionSettings Settings(Uri endpoint) =>
        new(EnvironmentKind.VCenter, endpoint, "administrator@vsphere.local", "secret", Pin) { RequestTimeout = RequestTimeout };
}

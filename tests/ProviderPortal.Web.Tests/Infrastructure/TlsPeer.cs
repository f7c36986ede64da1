using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ProviderPortal.TestPeers.XenOrchestra;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// A TLS server on loopback with a fresh self-signed certificate, as an on-prem vCenter presents one: it completes
/// the handshake and then says nothing. With <c>handshake: false</c> it accepts connections and never answers at all.
/// </summary>
public sealed class TlsPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _accepting;

    public TlsPeer(bool handshake = true)
    {
        Certificate = TestCertificates.Create("vcenter.peer.test");
        _listener.Start();
        _accepting = AcceptAsync(handshake);
    }

    public X509Certificate2 Certificate { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"https://127.0.0.1:{Port}";

    /// <summary>SHA-256 of the certificate, uppercase hex pairs joined by colons.</summary>
    public string Thumbprint => string.Join(':', SHA256.HashData(Certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private async Task AcceptAsync(bool handshake)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_clients)
                {
                    _clients.Add(client);
                }

                if (handshake)
                {
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            var tls = new SslStream(client.GetStream());
                            await tls.AuthenticateAsServerAsync(Certificate);
                        }
                        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
                        {
                        }
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        Certificate.Dispose();
        _stop.Dispose();
    }
}

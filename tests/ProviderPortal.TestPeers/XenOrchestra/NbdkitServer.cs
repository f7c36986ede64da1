using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>
/// A real nbdkit serving one file read-only with TLS required (as XAPI's NBD server is FORCEDTLS), so the
/// connector's NBD path runs against a real server. Started in the foreground and stopped by its own process handle.
/// </summary>
public sealed class NbdkitServer : IDisposable
{
    private readonly Process _process;

    private NbdkitServer(Process process, int port, string file)
    {
        _process = process;
        Port = port;
        File = file;
    }

    public int Port { get; }

    /// <summary>The file served: what a test writes here is what NBD reads.</summary>
    public string File { get; }

    public static async Task<NbdkitServer> StartAsync(X509Certificate2 certificate, string workDirectory, long size)
    {
        var certificates = Path.Combine(workDirectory, "nbd-tls");
        TestCertificates.WriteNbdkitDirectory(certificate, certificates);
        var file = Path.Combine(workDirectory, "served.raw");
        using (var stream = new FileStream(file, FileMode.Create))
        {
            stream.SetLength(size);
        }

        var port = FreePort();
        var start = new ProcessStartInfo("nbdkit")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-f", "-r", "--exit-with-parent", "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
            "--tls=require", $"--tls-certificates={certificates}", "file", file,
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nbdkit did not start.");
        var server = new NbdkitServer(process, port, file);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (process.HasExited)
            {
                var error = await process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"nbdkit exited at start: {error}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}

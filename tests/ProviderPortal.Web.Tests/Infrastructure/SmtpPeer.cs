using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (Python's aiosmtpd) on 127.0.0.1 and a free port. Each message it accepts is kept
/// as one .eml file, with the envelope recipients in an X-Envelope-To header. With a user name and a
/// password it also offers AUTH PLAIN/LOGIN over plain text and accepts only those credentials.
/// </summary>
public sealed class SmtpPeer : IDisposable
{
    public const string Python = "/usr/bin/python3";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private const string Script = """
        import os, sys, threading, uuid
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        user, password = os.environ.get("SMTP_PEER_USER"), os.environ.get("SMTP_PEER_PASSWORD")

        class Sink:
            async def handle_DATA(self, server, session, envelope):
                name = uuid.uuid4().hex
                partial = os.path.join(folder, name + ".part")
                with open(partial, "wb") as f:
                    f.write(("X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode())
                    f.write(envelope.original_content or envelope.content)
                os.replace(partial, os.path.join(folder, name + ".eml"))
                return "250 OK"

        def authenticate(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options = dict(authenticator=authenticate, auth_require_tls=False) if user else {}
        controller = Controller(Sink(), hostname=host, port=port, **options)
        controller.start()
        print("ready", flush=True)
        threading.Event().wait()
        """;

    private readonly Process _process;
    private readonly string _folder;

    private SmtpPeer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Starts the server and returns once it accepts connections; throws if aiosmtpd is missing.</summary>
    public static SmtpPeer Start(string? userName = null, string? password = null)
    {
        EnsureAiosmtpdInstalled();
        var folder = Path.Combine(Path.GetTempPath(), "pp-smtp", Guid.NewGuid().ToString("N"));
        var mail = Directory.CreateDirectory(Path.Combine(folder, "mail")).FullName;
        var script = Path.Combine(folder, "smtp_peer.py");
        File.WriteAllText(script, Script);

        var port = FreePort();
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture), mail })
        {
            start.ArgumentList.Add(argument);
        }

        if (userName is not null)
        {
            start.Environment["SMTP_PEER_USER"] = userName;
            start.Environment["SMTP_PEER_PASSWORD"] = password ?? "";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The SMTP test peer did not start.");
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        var peer = new SmtpPeer(process, folder, port);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (!peer.AcceptsConnections())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                peer.Dispose();
                lock (stderr)
                {
                    throw new InvalidOperationException($"The SMTP test peer did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s.\n{stderr}");
                }
            }

            Thread.Sleep(100);
        }

        return peer;
    }

    /// <summary>The messages received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages =>
        new DirectoryInfo(Path.Combine(_folder, "mail")).GetFiles("*.eml")
            .OrderBy(f => f.LastWriteTimeUtc)
            .Select(f => MimeMessage.Load(f.FullName))
            .ToList();

    /// <summary>Waits, up to the timeout, for a message to the address; null if none came.</summary>
    public async Task<MimeMessage?> WaitForMessageToAsync(string address, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        do
        {
            var message = Messages.FirstOrDefault(m => m.Headers["X-Envelope-To"]?.Contains(address, StringComparison.OrdinalIgnoreCase) == true);
            if (message is not null)
            {
                return message;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        return null;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    /// <summary>A port nobody listens on, for the closed-port tests.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool AcceptsConnections()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void EnsureAiosmtpdInstalled()
    {
        var check = new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, UseShellExecute = false };
        Process? process = null;
        try
        {
            process = Process.Start(check);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Reported below.
        }

        using (process)
        {
            if (process is null || !process.WaitForExit(15000) || process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The SMTP tests need Python's aiosmtpd at {Python}: run `apt-get install -y --no-install-recommends python3-aiosmtpd`.");
            }
        }
    }
}

using System.Diagnostics;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Lab;

/// <summary>
/// The lab's cross-process lock: an exclusive open of lab.lock (flock on Linux), so the portal, its jobs
/// and a worker process can share one lab. Held for one state change, never across awaits of callers.
/// </summary>
internal sealed class LabLock : IDisposable
{
    private readonly FileStream _stream;

    private LabLock(FileStream stream)
    {
        _stream = stream;
    }

    public static async Task<LabLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new LabLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException ex) when (ex is not (DirectoryNotFoundException or PathTooLongException))
            {
                if (clock.Elapsed >= timeout)
                {
                    throw new ConnectorException(
                        ConnectorErrorKind.Timeout,
                        $"The lab is locked by another process for longer than {timeout.TotalSeconds:0} s ({path}).",
                        ex);
                }
            }

            // Another instance holds it for one short state change: poll briefly.
            await Task.Delay(1, cancellationToken);
        }
    }

    public void Dispose() => _stream.Dispose();
}

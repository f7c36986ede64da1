using System.Collections.Concurrent;
using System.Diagnostics;
using ProviderPortal.Domain.Environments.Connectors;

namespace ProviderPortal.Connectors.Lab;

/// <summary>
/// The lab's lock: an exclusive open of lab.lock (flock on Linux), so the portal, its jobs and a worker process can
/// share one lab; held for one state change, never across awaits of callers. Inside one process the callers first
/// queue on a gate per lock file (first come, first served), so a busy workload that takes the lock a hundred times a
/// second cannot starve a snapshot of the same process; only other processes are met by polling the file.
/// </summary>
internal sealed class LabLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate;
    private readonly FileStream _stream;

    private LabLock(SemaphoreSlim gate, FileStream stream)
    {
        _gate = gate;
        _stream = stream;
    }

    public static async Task<LabLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var gate = Gates.GetOrAdd(Path.GetFullPath(path), _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(timeout, cancellationToken))
        {
            throw Timeout(path, timeout, null);
        }

        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    return new LabLock(gate, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
                }
                catch (IOException ex) when (ex is not (DirectoryNotFoundException or PathTooLongException))
                {
                    if (clock.Elapsed >= timeout)
                    {
                        throw Timeout(path, timeout, ex);
                    }
                }

                // Another process holds it for one short state change: poll briefly.
                await Task.Delay(1, cancellationToken);
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _gate.Release();
    }

    private static ConnectorException Timeout(string path, TimeSpan timeout, Exception? inner) =>
        new(ConnectorErrorKind.Timeout, $"The lab is locked by another process for longer than {timeout.TotalSeconds:0} s ({path}).", inner);
}

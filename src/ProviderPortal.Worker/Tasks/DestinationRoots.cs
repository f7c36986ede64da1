using ProviderPortal.Replication.Devices;

namespace ProviderPortal.Worker.Tasks;

/// <summary>
/// The folders file targets may be under: those given on the command line (--destination-root) and those the portal
/// names in its welcome (the tenant's root on each local-storage destination). A target path is resolved, symbolic
/// links included, and refused unless it lies inside one of them, so a task can never make the worker write elsewhere.
/// </summary>
internal sealed class DestinationRoots
{
    // Deeper than any sane layout; a loop of links ends here instead of recursing forever.
    private const int MaxLinks = 32;

    private readonly Lock _lock = new();
    private readonly IReadOnlyList<string> _fixed;
    private IReadOnlyList<string> _fromPortal = [];

    public DestinationRoots(IEnumerable<string> fixedRoots)
    {
        ArgumentNullException.ThrowIfNull(fixedRoots);
        _fixed = [.. fixedRoots];
    }

    public IReadOnlyList<string> Current
    {
        get
        {
            lock (_lock)
            {
                return [.. _fixed, .. _fromPortal];
            }
        }
    }

    /// <summary>Replaces the portal's roots (each welcome names them all again).</summary>
    public void SetPortalRoots(IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        lock (_lock)
        {
            _fromPortal = [.. roots];
        }
    }

    /// <summary>
    /// Where <paramref name="target"/> may be opened: an NBD location as it is, or the real path of a file inside a root.
    /// Throws a non-retryable <see cref="TaskFailedException"/> otherwise; nothing is created either way.
    /// </summary>
    public DiskTarget Resolve(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (BlockDevices.IsNbd(target))
        {
            return new DiskTarget(target, IsFile: false);
        }

        if (target.StartsWith("nbds://", StringComparison.OrdinalIgnoreCase))
        {
            // The engine speaks TLS only with the server's certificate pinned, and an assignment carries no pin.
            throw Refused(target, "is an nbds:// export; this worker needs the export's certificate pin for TLS and the portal sent none");
        }

        if (target.Contains("://", StringComparison.Ordinal))
        {
            throw Refused(target, "is neither an NBD location (nbd://, nbd+unix://) nor a file path");
        }

        if (!Path.IsPathFullyQualified(target))
        {
            throw Refused(target, "is not an absolute path");
        }

        // No legitimate target climbs out of a folder; refusing ".." outright leaves no doubt about what is meant.
        if (target.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Contains(".."))
        {
            throw Refused(target, "contains '..'");
        }

        var real = RealPath(Path.GetFullPath(target), 0);
        foreach (var root in Current)
        {
            var realRoot = RealPath(Path.GetFullPath(root), 0);
            var prefix = Path.EndsInDirectorySeparator(realRoot) ? realRoot : realRoot + Path.DirectorySeparatorChar;
            if (real.StartsWith(prefix, StringComparison.Ordinal) && real.Length > prefix.Length)
            {
                return new DiskTarget(real, IsFile: true);
            }
        }

        throw Refused(target, "is outside the destination folders this worker may write to");
    }

    private static TaskFailedException Refused(string target, string why) =>
        new($"The target {target} {why}; nothing was written.", retryable: false);

    /// <summary>
    /// The path with every symbolic link on the way replaced by what it points to, component by component (the parts
    /// that do not exist yet are kept as they are). What is already resolved holds no links, so ".." from a link's
    /// target applies to the real folder.
    /// </summary>
    private static string RealPath(string fullPath, int links)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } linkTarget)
            {
                if (++links > MaxLinks)
                {
                    throw new TaskFailedException($"The path {fullPath} goes through more than {MaxLinks} symbolic links.", retryable: false);
                }

                next = RealPath(Path.GetFullPath(linkTarget, current), links);
            }

            current = next;
        }

        return current;
    }
}

/// <summary>A resolved disk target: a file's real path (under a destination root) or an NBD location.</summary>
internal sealed record DiskTarget(string Location, bool IsFile);

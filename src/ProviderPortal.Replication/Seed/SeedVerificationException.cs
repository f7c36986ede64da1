namespace ProviderPortal.Replication.Seed;

/// <summary>
/// A seed device failed verification: a chunk altered, missing or moved, a manifest altered, a part or device
/// missing. <see cref="Problems"/> names each one in plain words (chunk index, offset and file); nothing was written.
/// </summary>
public sealed class SeedVerificationException : IOException
{
    private const int ProblemsInMessage = 5;

    public SeedVerificationException(string problem)
        : this([problem])
    {
    }

    public SeedVerificationException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? problems[0]
            : $"{problems.Count} problems: {string.Join(" ", problems.Take(ProblemsInMessage))}{(problems.Count > ProblemsInMessage ? $" (and {problems.Count - ProblemsInMessage} more)" : "")}";
}

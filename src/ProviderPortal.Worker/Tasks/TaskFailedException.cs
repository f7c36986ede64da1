namespace ProviderPortal.Worker.Tasks;

/// <summary>A task cannot go on, with a plain message for the portal and whether another attempt may succeed.</summary>
internal sealed class TaskFailedException(string message, bool retryable, Exception? innerException = null)
    : Exception(message, innerException)
{
    public bool Retryable { get; } = retryable;
}

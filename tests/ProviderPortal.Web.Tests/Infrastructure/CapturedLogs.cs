using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>Keeps every log entry (message, exception and scopes) the portal writes, for tests about what is logged.</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    entry.Append($" | {key}={value}");
                }
            }

            owner._scopes.ForEachScope((scope, builder) => builder.Append($" | scope {scope}"), entry);
            if (exception is not null)
            {
                entry.Append('\n').Append(exception);
            }

            owner._entries.Enqueue(entry.ToString());
        }
    }
}

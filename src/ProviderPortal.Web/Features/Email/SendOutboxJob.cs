using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Email;
using Quartz;

namespace ProviderPortal.Web.Features.Email;

/// <summary>Sends the due outbox messages; a failure is retried later with backoff, never lost.</summary>
[DisallowConcurrentExecution]
public sealed class SendOutboxJob(TenantScope scope, PortalDbContext db, MailDelivery delivery, TimeProvider clock, ILogger<SendOutboxJob> logger) : IJob
{
    public static readonly JobKey Key = new("send-outbox", "email");

    private const int BatchSize = 50;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        scope.UseSystem("email outbox");
        try
        {
            var now = clock.GetUtcNow();
            var due = await db.OutboxMessages
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);

            await delivery.DeliverAsync(due, async (message, error) =>
            {
                if (error is null)
                {
                    message.MarkSent(clock.GetUtcNow());
                }
                else
                {
                    message.MarkAttemptFailed(error.Message, clock.GetUtcNow());
                }

                // Saved per message: a crash after a send must not send it again.
                await db.SaveChangesAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Sending the outbox failed; it is tried again at the next run.");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Invitations;
using Quartz;

namespace ProviderPortal.Web.Features.Invitations;

/// <summary>Marks pending invitations whose time has passed as Expired, across all tenants.</summary>
[DisallowConcurrentExecution]
public sealed class ExpireInvitationsJob(TenantScope scope, PortalDbContext db, TimeProvider clock, ILogger<ExpireInvitationsJob> logger) : IJob
{
    public static readonly JobKey Key = new("expire-invitations", "invitations");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        scope.UseSystem("invitation expiry");
        try
        {
            var now = clock.GetUtcNow();
            var due = await db.Invitations
                .Where(i => i.Status == InvitationStatus.Pending && i.ExpiresAt <= now)
                .ToListAsync(cancellationToken);
            var expired = due.Count(i => i.ExpireIfDue(now));
            if (expired > 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("{Count} invitations expired.", expired);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Expiring invitations failed; it is tried again at the next run.");
        }
    }
}

using ProviderPortal.Domain.Email;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Email;

/// <summary>An SMTP server that does not answer: the message waits with backoff and is never lost.</summary>
public sealed class SmtpUnreachableTests(SmtpPortalFactory.ClosedPort factory) : IClassFixture<SmtpPortalFactory.ClosedPort>
{
    [Fact]
    public async Task Send_SmtpPortClosed_StaysPendingWithErrorAndBackoff()
    {
        var tenant = await factory.CreateTenantAsync("smtp-closed");
        const string email = "waiting@smtp-closed.example";
        var subject = $"You are invited to {tenant.Name} on ProviderPortal";
        var queued = await OutboxProbe.FindAsync(factory, email, subject);
        Assert.Null(queued);

        await OutboxProbe.InviteAsync(factory, tenant, email);
        var row = await OutboxProbe.WaitAsync(factory, email, subject, m => m.Attempts > 0);

        Assert.NotNull(row);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.False(string.IsNullOrWhiteSpace(row.LastError));
        Assert.Null(row.SentAt);
        Assert.True(row.NextAttemptAt > DateTimeOffset.UtcNow, $"The next attempt ({row.NextAttemptAt:O}) should be in the future.");
        Assert.True(row.NextAttemptAt >= row.CreatedAt + OutboxMessage.RetryDelay(1) - TimeSpan.FromSeconds(1));
        Assert.Contains("/Account/AcceptInvitation?token=", row.TextBody);
        Assert.Contains(factory.Logs.Entries, e => e.Contains("could not be reached", StringComparison.Ordinal));

        // The job runs every second; the backoff keeps it from trying again before NextAttemptAt.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var later = await OutboxProbe.FindAsync(factory, email, subject);
        Assert.NotNull(later);
        Assert.Equal(1, later.Attempts);
        Assert.Equal(OutboxStatus.Pending, later.Status);
    }
}

using ProviderPortal.Domain.Email;

namespace ProviderPortal.Domain.Tests.Email;

public class OutboxMessageTests
{
    private static OutboxMessage Pending() =>
        OutboxMessage.Create(Guid.NewGuid(), "ada@acme.example", "Welcome", "<p>Hi</p>", "Hi", Given.Now);

    [Fact]
    public void Create_ValidAddress_IsPendingAndDueNow()
    {
        var tenantId = Guid.NewGuid();

        var message = OutboxMessage.Create(tenantId, "ada@acme.example", "Welcome", "<p>Hi</p>", "Hi", Given.Now);

        Assert.Equal(tenantId, message.TenantId);
        Assert.Equal(OutboxStatus.Pending, message.Status);
        Assert.Equal(0, message.Attempts);
        Assert.Equal(Given.Now, message.NextAttemptAt);
        Assert.True(message.IsDueAt(Given.Now));
        Assert.False(message.IsDueAt(Given.Now.AddTicks(-1)));
    }

    [Fact]
    public void Create_InvalidAddress_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => OutboxMessage.Create(null, "nobody", "s", "h", "t", Given.Now));

        Assert.Equal("\"nobody\" is not a valid email address.", error.Message);
    }

    [Fact]
    public void MarkSent_Pending_IsSentAndCountsTheAttempt()
    {
        var message = Pending();
        message.MarkAttemptFailed("timeout", Given.Now);

        message.MarkSent(Given.Now.AddMinutes(1));

        Assert.Equal(OutboxStatus.Sent, message.Status);
        Assert.Equal(2, message.Attempts);
        Assert.Equal(Given.Now.AddMinutes(1), message.SentAt);
        Assert.Null(message.LastError);
        Assert.False(message.IsDueAt(Given.Now.AddDays(1)));
    }

    [Fact]
    public void MarkSent_AlreadySent_IsRefused()
    {
        var message = Pending();
        message.MarkSent(Given.Now);

        var error = Assert.Throws<DomainException>(() => message.MarkSent(Given.Now));

        Assert.Equal("Only a pending message can be sent.", error.Message);
        Assert.Equal(1, message.Attempts);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(4, 240)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(20, 3600)]
    public void RetryDelay_FailedAttempts_DoublesFrom30SecondsCappedAtAnHour(int failedAttempts, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), OutboxMessage.RetryDelay(failedAttempts));
    }

    [Fact]
    public void MarkAttemptFailed_Pending_SchedulesNextAttemptWithBackoff()
    {
        var message = Pending();
        var expectedDelays = new[] { 30, 60, 120, 240, 480, 960, 1920 };

        foreach (var (delay, attempt) in expectedDelays.Select((d, i) => (d, i + 1)))
        {
            var failedAt = Given.Now.AddHours(attempt);
            message.MarkAttemptFailed($"failure {attempt}", failedAt);

            Assert.Equal(attempt, message.Attempts);
            Assert.Equal(OutboxStatus.Pending, message.Status);
            Assert.Equal(failedAt.AddSeconds(delay), message.NextAttemptAt);
            Assert.Equal($"failure {attempt}", message.LastError);
        }
    }

    [Fact]
    public void MarkAttemptFailed_MaxAttemptsReached_IsFailedAndNoLongerDue()
    {
        var message = Pending();
        for (var attempt = 1; attempt < OutboxMessage.MaxAttempts; attempt++)
        {
            message.MarkAttemptFailed("smtp down", Given.Now);
        }

        Assert.Equal(OutboxStatus.Pending, message.Status);

        message.MarkAttemptFailed("smtp down", Given.Now);

        Assert.Equal(OutboxStatus.Failed, message.Status);
        Assert.Equal(OutboxMessage.MaxAttempts, message.Attempts);
        Assert.False(message.IsDueAt(Given.Now.AddDays(1)));
        Assert.Throws<DomainException>(() => message.MarkAttemptFailed("again", Given.Now));
    }

    [Fact]
    public void MarkAttemptFailed_LongError_KeepsFirst1000Characters()
    {
        var message = Pending();

        message.MarkAttemptFailed(new string('x', 1500), Given.Now);

        Assert.Equal(new string('x', 1000), message.LastError);
    }

    [Fact]
    public void MarkAttemptFailed_AfterSent_IsRefused()
    {
        var message = Pending();
        message.MarkSent(Given.Now);

        var error = Assert.Throws<DomainException>(() => message.MarkAttemptFailed("late", Given.Now));

        Assert.Equal("Only a pending message can be retried.", error.Message);
    }
}

using ProviderPortal.Domain.Notifications;

namespace ProviderPortal.Domain.Tests.Notifications;

public sealed class NotificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("/windows", true)]
    [InlineData("/plans/1b2c?tab=progress", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example/windows", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("windows", false)]
    [InlineData("/windows\r\nSet-Cookie: x", false)]
    public void IsLocalPath_Link_OnlyPortalPaths(string link, bool local)
    {
        Assert.Equal(local, Notification.IsLocalPath(link));
    }

    [Fact]
    public void Create_ExternalLink_Refused()
    {
        Assert.Throws<DomainException>(() => Notification.Create(null, "user", 1, "Title", "Body", "https://evil.example", Now));
    }

    [Fact]
    public void Create_LongTitle_CutToTheColumn()
    {
        var notification = Notification.Create(null, "user", 1, new string('x', 500), "Body", null, Now);

        Assert.Equal(Notification.TitleMaxLength, notification.Title.Length);
        Assert.EndsWith("…", notification.Title);
    }

    [Fact]
    public void MarkRead_Twice_KeepsTheFirstTime()
    {
        var notification = Notification.Create(null, "user", 1, "Title", "Body", "/windows", Now);

        notification.MarkRead(Now.AddMinutes(1));
        notification.MarkRead(Now.AddMinutes(5));

        Assert.Equal(Now.AddMinutes(1), notification.ReadAt);
    }

    [Fact]
    public void Choose_OffThenOn_PerKindAndChannel()
    {
        var settings = NotificationSettings.For("user", null);

        settings.Choose(5, inApp: false, email: true);
        settings.Choose(7, inApp: true, email: false);
        settings.Choose(5, inApp: true, email: true);

        Assert.True(settings.WantsInApp(5));
        Assert.True(settings.WantsEmail(5));
        Assert.True(settings.WantsInApp(7));
        Assert.False(settings.WantsEmail(7));
        Assert.Empty(settings.InAppOff);
    }

    [Fact]
    public void UseTimeZone_UnknownOrEmpty_RefusedOrDefault()
    {
        var settings = NotificationSettings.For("user", Guid.NewGuid());
        settings.UseTimeZone("Europe/Paris");

        Assert.Throws<DomainException>(() => settings.UseTimeZone("Mars/Olympus_Mons"));
        Assert.Equal("Europe/Paris", settings.TimeZoneId);
        settings.UseTimeZone(" ");
        Assert.Null(settings.TimeZoneId);
    }
}

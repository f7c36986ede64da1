using Ical.Net;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using ProviderPortal.Data;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Notifications;

/// <summary>Notification emails from the running portal through a real SMTP server on loopback, with their .ics invites.</summary>
public sealed class NotificationEmailTests(SmtpPortalFactory factory) : IClassFixture<SmtpPortalFactory>
{
    private static readonly DateTimeOffset Starts = new(2026, 9, 14, 20, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Ends = new(2026, 9, 14, 23, 30, 0, TimeSpan.Zero);

    private async Task NotifyAdminsAsync(TestTenant tenant, string title, CalendarInvite? invite)
    {
        await factory.AsSystemAsync(async services =>
        {
            await services.GetRequiredService<INotifier>().NotifyTenantAdminsAsync(tenant.Id, NotificationKind.WindowApproved, zone =>
                new NotificationText(title, $"Your window starts {TimeZoneInfo.ConvertTime(Starts, zone):yyyy-MM-dd HH:mm}.", "/windows", invite));
            return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
        });
    }

    private static MimePart Invite(MimeMessage mail) =>
        Assert.Single(mail.Attachments.OfType<MimePart>(), a => a.ContentType.MimeType == "text/calendar");

    private static string Text(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task NotifyTenantAdmins_TwoTenants_EachMailReachesOnlyItsOwnTenantsAdmins()
    {
        var a = await factory.CreateTenantAsync("mail-notify-a");
        var b = await factory.CreateTenantAsync("mail-notify-b");

        await NotifyAdminsAsync(a, "Window approved for A", null);
        await NotifyAdminsAsync(b, "Window approved for B", null);

        var toA = await factory.Smtp!.WaitForMessageToAsync(a.Admin.Email!, OutboxProbe.Deadline);
        var toB = await factory.Smtp.WaitForMessageToAsync(b.Admin.Email!, OutboxProbe.Deadline);
        Assert.NotNull(toA);
        Assert.NotNull(toB);
        Assert.Equal("Window approved for A", toA.Subject);
        Assert.Equal("Window approved for B", toB.Subject);
        Assert.Equal(a.Admin.Email, OutboxProbe.Recipient(toA));
        Assert.Equal(b.Admin.Email, OutboxProbe.Recipient(toB));

        // Paris (the test tenants' zone): 22:00.
        Assert.Contains("2026-09-14 22:00", toA.TextBody);
        Assert.Empty(toA.Attachments);

        // Nobody else of either tenant got anything: not the members, and no mail of A went to B or back.
        var all = factory.Smtp.Messages;
        Assert.DoesNotContain(all, m => m.Headers["X-Envelope-To"]!.Contains(a.Member.Email!, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(all, m => m.Headers["X-Envelope-To"]!.Contains(b.Member.Email!, StringComparison.OrdinalIgnoreCase));
        Assert.All(all.Where(m => m.Subject == "Window approved for A"), m => Assert.Equal(a.Admin.Email, OutboxProbe.Recipient(m)));
        Assert.All(all.Where(m => m.Subject == "Window approved for B"), m => Assert.Equal(b.Admin.Email, OutboxProbe.Recipient(m)));
    }

    [Fact]
    public async Task NotifyTenantAdmins_NoPortalUrlBehindAProxy_EmailSaysWhereToGoInWords()
    {
        // Behind nginx the portal listens on an internal address no recipient can open: no link, and no bare path either.
        using var portal = new BehindProxySmtpPortal();
        var tenant = await portal.CreateTenantAsync("mail-notify-words");

        await NotifyAsync(portal, tenant, "Window approved (words)");
        var mail = await portal.Smtp!.WaitForMessageToAsync(tenant.Admin.Email!, OutboxProbe.Deadline);

        Assert.NotNull(mail);
        Assert.Contains("Open ProviderPortal and choose Cutover windows.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open ProviderPortal and choose Cutover windows.", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("/windows", mail.TextBody + mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyTenantAdmins_NoPortalUrlOnAPortalListeningOnAPort_EmailLinksToThatAddress()
    {
        using var portal = new ListeningSmtpPortal();
        portal.StartServer();
        var address = portal.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        var tenant = await portal.CreateTenantAsync("mail-notify-listening");

        await NotifyAsync(portal, tenant, "Window approved (link)");
        var mail = await portal.Smtp!.WaitForMessageToAsync(tenant.Admin.Email!, OutboxProbe.Deadline);

        Assert.NotNull(mail);
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        Assert.Contains($"{address}/windows", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal($"{address}/windows", OutboxProbe.HtmlLink(mail.HtmlBody, "/windows"));
    }

    private static Task NotifyAsync(PortalFactory portal, TestTenant tenant, string title) => portal.AsSystemAsync(async services =>
    {
        await services.GetRequiredService<INotifier>().NotifyTenantAdminsAsync(tenant.Id, NotificationKind.WindowApproved, _ =>
            new NotificationText(title, "Your window was approved.", "/windows"));
        return await services.GetRequiredService<PortalDbContext>().SaveChangesAsync();
    });

    /// <summary>The SMTP portal on a real Kestrel port (the first command's way of running), with no Notifications:PortalUrl.</summary>
    private sealed class ListeningSmtpPortal : SmtpPortalFactory
    {
        public ListeningSmtpPortal() => UseKestrel(0);
    }

    /// <summary>The SMTP portal behind a reverse proxy (ASPNETCORE_FORWARDEDHEADERS_ENABLED, as deploy/ sets it), with no Notifications:PortalUrl.</summary>
    private sealed class BehindProxySmtpPortal : SmtpPortalFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
        {
            ["FORWARDEDHEADERS_ENABLED"] = "true",
        };
    }

    [Fact]
    public async Task NotifyTenantAdmins_WithInvite_IcsParsesWithUtcTimesAndStableUid()
    {
        var tenant = await factory.CreateTenantAsync("mail-notify-ics");
        var uid = Guid.NewGuid();
        var invite = new CalendarInvite(uid, "Cutover of web tier", "Maintenance window for the web tier", Starts, Ends, 0);

        await NotifyAdminsAsync(tenant, "Window booked (ics)", invite);
        var booked = await factory.Smtp!.WaitForMessageToAsync(tenant.Admin.Email!, OutboxProbe.Deadline);

        Assert.NotNull(booked);
        var part = Invite(booked);
        Assert.Equal("REQUEST", part.ContentType.Parameters["method"]);
        var calendar = Calendar.Load(Text(part));
        Assert.NotNull(calendar);
        Assert.Equal("REQUEST", calendar.Method);
        var meeting = Assert.Single(calendar.Events);
        Assert.Equal($"{uid:D}@providerportal", meeting.Uid);
        Assert.Equal(Starts.UtcDateTime, meeting.DtStart!.AsUtc);
        Assert.Equal(Ends.UtcDateTime, meeting.DtEnd!.AsUtc);
        Assert.Equal("Cutover of web tier", meeting.Summary);
        Assert.Equal(0, meeting.Sequence);
    }

    [Fact]
    public async Task NotifyTenantAdmins_CancelledInvite_CancelsTheSameEvent()
    {
        var tenant = await factory.CreateTenantAsync("mail-notify-cancel");
        var uid = Guid.NewGuid();

        await NotifyAdminsAsync(tenant, "Window cancelled (ics)", new CalendarInvite(uid, "Cutover", "Cancelled", Starts, Ends, 2, Cancelled: true));
        var cancelled = await factory.Smtp!.WaitForMessageToAsync(tenant.Admin.Email!, OutboxProbe.Deadline);

        Assert.NotNull(cancelled);
        var part = Invite(cancelled);
        Assert.Equal("CANCEL", part.ContentType.Parameters["method"]);
        var calendar = Calendar.Load(Text(part));
        Assert.NotNull(calendar);
        Assert.Equal("CANCEL", calendar.Method);
        var meeting = Assert.Single(calendar.Events);
        Assert.Equal($"{uid:D}@providerportal", meeting.Uid);
        Assert.Equal(2, meeting.Sequence);
        Assert.Equal(Starts.UtcDateTime, meeting.DtStart!.AsUtc);
    }
}

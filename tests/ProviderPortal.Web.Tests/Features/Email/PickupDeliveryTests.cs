using MimeKit;
using ProviderPortal.Domain.Email;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Email;

/// <summary>With no SMTP server configured (the default), mail is written to the pickup folder.</summary>
public sealed class PickupDeliveryTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Send_NoSmtpHost_WritesEmlToPickupFolderAndMarksSent()
    {
        var tenant = await factory.CreateTenantAsync("pickup");
        const string email = "picked@pickup.example";
        var subject = $"You are invited to {tenant.Name} on ProviderPortal";

        await OutboxProbe.InviteAsync(factory, tenant, email);
        var row = await OutboxProbe.WaitAsync(factory, email, subject, m => m.Status != OutboxStatus.Pending);

        Assert.NotNull(row);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        var pickup = Path.Combine(factory.DataDirectory, "mail-pickup");
        var file = Assert.Single(Directory.GetFiles(pickup, $"*{row.Id:N}.eml"));
        var mail = await MimeMessage.LoadAsync(file);
        Assert.Equal(email, OutboxProbe.Recipient(mail));
        Assert.Equal(subject, mail.Subject);
        Assert.Equal(OutboxProbe.Link(mail.TextBody, "/Account/AcceptInvitation"), OutboxProbe.HtmlLink(mail.HtmlBody, "/Account/AcceptInvitation"));
    }
}

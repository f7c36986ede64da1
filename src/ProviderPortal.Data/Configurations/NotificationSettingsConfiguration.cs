using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Notifications;

namespace ProviderPortal.Data.Configurations;

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.ToTable("NotificationSettings");
        builder.HasKey(s => s.UserId);
        builder.Property(s => s.UserId).HasMaxLength(450);
        builder.Property(s => s.TimeZoneId).HasMaxLength(100);
        builder.Property(s => s.InAppOff).AsJson(() => []).HasMaxLength(400);
        builder.Property(s => s.EmailOff).AsJson(() => []).HasMaxLength(400);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

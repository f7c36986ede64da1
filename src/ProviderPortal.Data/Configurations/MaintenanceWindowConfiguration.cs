using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Domain.Windows;

namespace ProviderPortal.Data.Configurations;

internal sealed class MaintenanceWindowConfiguration : IEntityTypeConfiguration<MaintenanceWindow>
{
    public void Configure(EntityTypeBuilder<MaintenanceWindow> builder)
    {
        builder.ToTable("MaintenanceWindows");
        builder.HasRowVersion();
        builder.Property(w => w.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(w => w.TimeZoneId).HasMaxLength(100).IsRequired();
        builder.Property(w => w.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(w => w.DecidedBy).HasMaxLength(256);
        builder.Property(w => w.Reason).HasMaxLength(MaintenanceWindow.MaxReasonLength);
        builder.Property(w => w.AtRiskReason).HasMaxLength(1000);
        builder.Property(w => w.RemindersSent).AsJson(() => new List<int>());
        builder.HasIndex(w => w.TenantId);
        builder.HasIndex(w => new { w.Status, w.StartsAt });
        builder.HasIndex(w => w.PlanId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(w => w.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MigrationPlan>().WithMany().HasForeignKey(w => w.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(w => w.Duration);
        builder.Ignore(w => w.HoldsCapacity);
    }
}

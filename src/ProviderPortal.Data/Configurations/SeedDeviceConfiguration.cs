using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Configurations;

internal sealed class SeedDeviceModelConfiguration : IEntityTypeConfiguration<SeedDeviceModel>
{
    public void Configure(EntityTypeBuilder<SeedDeviceModel> builder)
    {
        builder.ToTable("SeedDeviceModels");
        builder.Property(m => m.Name).HasMaxLength(SeedDeviceModelDetails.MaxNameLength).IsRequired();
        builder.HasIndex(m => m.Name).IsUnique();
    }
}

internal sealed class SeedDeviceOrderConfiguration : IEntityTypeConfiguration<SeedDeviceOrder>
{
    public void Configure(EntityTypeBuilder<SeedDeviceOrder> builder)
    {
        builder.ToTable("SeedDeviceOrders");
        builder.HasRowVersion();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.ModelName).HasMaxLength(SeedDeviceModelDetails.MaxNameLength).IsRequired();
        builder.Property(o => o.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(o => o.Address).AsJson(() => new ShippingAddress("", null, "", null, "", "", "", "", "", ""));
        builder.Property(o => o.Steps).AsJson(() => new Dictionary<SeedDeviceOrderStatus, DateTimeOffset>());
        builder.Property(o => o.Carrier).HasMaxLength(SeedDeviceOrder.MaxCarrierLength);
        builder.Property(o => o.TrackingNumber).HasMaxLength(SeedDeviceOrder.MaxTrackingNumberLength);
        builder.Property(o => o.ReturnCarrier).HasMaxLength(SeedDeviceOrder.MaxCarrierLength);
        builder.Property(o => o.ReturnTrackingNumber).HasMaxLength(SeedDeviceOrder.MaxTrackingNumberLength);
        builder.Property(o => o.Reason).HasMaxLength(SeedDeviceOrder.MaxReasonLength);
        builder.Property(o => o.ProtectedKey).HasMaxLength(1000);
        builder.HasIndex(o => o.TenantId);
        builder.HasIndex(o => o.PlanId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<MigrationPlan>().WithMany().HasForeignKey(o => o.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<SeedDeviceModel>().WithMany().HasForeignKey(o => o.ModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

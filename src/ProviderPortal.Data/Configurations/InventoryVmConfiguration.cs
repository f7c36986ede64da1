using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Data.Configurations;

internal sealed class InventoryVmConfiguration : IEntityTypeConfiguration<InventoryVm>
{
    public void Configure(EntityTypeBuilder<InventoryVm> builder)
    {
        builder.ToTable("InventoryVms");
        builder.Property(v => v.ExternalId).HasMaxLength(200).IsRequired();
        builder.Property(v => v.Name).HasMaxLength(InventoryVm.MaxNameLength).IsRequired();
        builder.Property(v => v.PowerState).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.ToolsState).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.ChangeTracking).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.CpuVendor).HasMaxLength(50);
        builder.Property(v => v.GuestOs).HasMaxLength(200);
        builder.Property(v => v.Host).HasMaxLength(200);
        builder.Property(v => v.Cluster).HasMaxLength(200);

        // The inventory page pages through one environment at a time, sorted by name by default.
        builder.HasIndex(v => new { v.EnvironmentId, v.ExternalId }).IsUnique();
        builder.HasIndex(v => new { v.TenantId, v.EnvironmentId, v.Name });
        builder.HasOne<SourceEnvironment>().WithMany().HasForeignKey(v => v.EnvironmentId).OnDelete(DeleteBehavior.Cascade);

        builder.OwnsMany(v => v.Disks, d => d.ToJson());
        builder.OwnsMany(v => v.Nics, n => n.ToJson());
        builder.OwnsMany(v => v.Snapshots, s => s.ToJson());
    }
}

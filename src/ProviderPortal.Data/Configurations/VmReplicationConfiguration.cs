using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Data.Configurations;

internal sealed class VmReplicationConfiguration : IEntityTypeConfiguration<VmReplication>
{
    public void Configure(EntityTypeBuilder<VmReplication> builder)
    {
        builder.ToTable("VmReplications");
        builder.Property(v => v.VmId).HasMaxLength(200).IsRequired();
        builder.Property(v => v.VmName).HasMaxLength(200).IsRequired();
        builder.Property(v => v.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.PausedFrom).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.SnapshotId).HasMaxLength(200);
        builder.Property(v => v.Error).HasMaxLength(1000);
        builder.HasIndex(v => new { v.PlanId, v.VmId }).IsUnique();
        builder.HasIndex(v => v.TenantId);
        builder.HasOne<MigrationPlan>().WithMany().HasForeignKey(v => v.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(v => v.Disks).AsJson(() => new List<DiskReplication>());
        builder.Property(v => v.SeedSnapshotId).HasMaxLength(200);
        builder.Property(v => v.SeedChangeIds).AsJson(() => new Dictionary<string, string?>());
        builder.Ignore(v => v.BaselineDone);
        builder.Ignore(v => v.CapacityBytes);
    }
}

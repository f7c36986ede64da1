using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Data.Configurations;

internal sealed class ReplicationTaskConfiguration : IEntityTypeConfiguration<ReplicationTask>
{
    public void Configure(EntityTypeBuilder<ReplicationTask> builder)
    {
        builder.ToTable("ReplicationTasks");
        builder.Property(t => t.VmId).HasMaxLength(200).IsRequired();
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(t => t.SnapshotId).HasMaxLength(200);
        builder.Property(t => t.PreviousSnapshotId).HasMaxLength(200);
        builder.Property(t => t.Error).HasMaxLength(1000);
        builder.HasIndex(t => new { t.State, t.QueuedAt });
        builder.HasIndex(t => new { t.TenantId, t.PlanId });
        builder.HasIndex(t => t.WorkerSessionId);
        builder.HasOne<MigrationPlan>().WithMany().HasForeignKey(t => t.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<VmReplication>().WithMany().HasForeignKey(t => t.VmReplicationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Disks).AsJson(() => new List<TaskDisk>());
        builder.Property(t => t.SnapshotChangeIds).AsJson(() => new Dictionary<string, string?>());
        builder.Property(t => t.SeedFolders).AsJson(() => new List<string>());
        builder.Ignore(t => t.IsSeed);
        builder.Ignore(t => t.BytesTotal);
        builder.Ignore(t => t.BytesDone);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Workers;

namespace ProviderPortal.Data.Configurations;

internal sealed class WorkerSessionConfiguration : IEntityTypeConfiguration<WorkerSession>
{
    public void Configure(EntityTypeBuilder<WorkerSession> builder)
    {
        builder.ToTable("WorkerSessions");
        builder.Property(s => s.ConnectionId).HasMaxLength(100).IsRequired();
        builder.HasIndex(s => s.ConnectionId).IsUnique();
        builder.Property(s => s.Node).HasMaxLength(100).IsRequired();
        builder.Property(s => s.WorkerName).HasMaxLength(100).IsRequired();
        builder.Property(s => s.Version).HasMaxLength(40).IsRequired();
        builder.HasIndex(s => new { s.TenantId, s.DisconnectedAt });
        builder.HasOne<WorkerToken>().WithMany().HasForeignKey(s => s.TokenId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(s => s.IsConnected);
    }
}

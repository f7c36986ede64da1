using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Domain.Workers;

namespace ProviderPortal.Data.Configurations;

internal sealed class WorkerTokenConfiguration : IEntityTypeConfiguration<WorkerToken>
{
    public void Configure(EntityTypeBuilder<WorkerToken> builder)
    {
        builder.ToTable("WorkerTokens");
        builder.Property(t => t.Name).HasMaxLength(WorkerToken.MaxNameLength).IsRequired();
        builder.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        builder.HasIndex(t => t.Hash).IsUnique();
        builder.Property(t => t.Hint).HasMaxLength(16).IsRequired();
        builder.Property(t => t.CreatedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(t => t.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.Ignore(t => t.IsRevoked);
    }
}

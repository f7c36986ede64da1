using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Configurations;

internal sealed class SourceEnvironmentConfiguration : IEntityTypeConfiguration<SourceEnvironment>
{
    public void Configure(EntityTypeBuilder<SourceEnvironment> builder)
    {
        builder.ToTable("Environments");
        builder.Property(e => e.Name).HasMaxLength(EnvironmentDetails.MaxNameLength).IsRequired();
        builder.HasIndex(e => new { e.TenantId, e.Name }).IsUnique();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Endpoint).HasMaxLength(EnvironmentDetails.MaxEndpointLength);
        builder.Property(e => e.UserName).HasMaxLength(EnvironmentDetails.MaxUserNameLength);
        builder.Property(e => e.ProtectedSecret).HasMaxLength(4000);
        builder.Property(e => e.TrustedThumbprint).HasMaxLength(100);
        builder.Property(e => e.NbdUriTemplate).HasMaxLength(EnvironmentDetails.MaxEndpointLength);
        builder.Property(e => e.HypervisorEndpoint).HasMaxLength(EnvironmentDetails.MaxEndpointLength);
        builder.Property(e => e.HypervisorUserName).HasMaxLength(EnvironmentDetails.MaxUserNameLength);
        builder.Property(e => e.ProtectedHypervisorSecret).HasMaxLength(4000);
        builder.Property(e => e.HypervisorThumbprint).HasMaxLength(100);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.SyncState).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.LastError).HasMaxLength(SourceEnvironment.MaxErrorLength);
        builder.Property(e => e.LastSyncError).HasMaxLength(SourceEnvironment.MaxErrorLength);
        builder.Ignore(e => e.IsLab);
        builder.Ignore(e => e.CanSync);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

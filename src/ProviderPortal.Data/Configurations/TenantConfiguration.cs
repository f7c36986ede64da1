using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(TenantDetails.MaxNameLength).IsRequired();
        builder.Property(t => t.Slug).HasMaxLength(TenantDetails.MaxSlugLength).IsRequired();
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.Property(t => t.ContactName).HasMaxLength(TenantDetails.MaxContactNameLength).IsRequired();
        builder.Property(t => t.ContactEmail).HasMaxLength(EmailAddress.MaxLength).IsRequired();
        builder.Property(t => t.TimeZoneId).HasMaxLength(100).IsRequired();
        builder.Property(t => t.SuspensionReason).HasMaxLength(Tenant.MaxSuspensionReasonLength);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.Ignore(t => t.IsSuspended);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Tenants;

namespace ProviderPortal.Data.Configurations;

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Email).HasMaxLength(EmailAddress.MaxLength).IsRequired();
        builder.Property(i => i.Role).HasMaxLength(50).IsRequired();
        builder.Property(i => i.TokenHash).HasMaxLength(64).IsRequired();
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.InvitedBy).HasMaxLength(256);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(i => new { i.TenantId, i.Status });
        builder.HasIndex(i => new { i.Status, i.ExpiresAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Email;

namespace ProviderPortal.Data.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.Property(m => m.ToAddress).HasMaxLength(254).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(400).IsRequired();
        builder.Property(m => m.HtmlBody).IsRequired();
        builder.Property(m => m.TextBody).IsRequired();
        builder.Property(m => m.AttachmentName).HasMaxLength(200);
        builder.Property(m => m.AttachmentMediaType).HasMaxLength(200);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
    }
}

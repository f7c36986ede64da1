using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Data.Configurations;

internal sealed class ChangeSampleConfiguration : IEntityTypeConfiguration<ChangeSample>
{
    public void Configure(EntityTypeBuilder<ChangeSample> builder)
    {
        builder.Property(s => s.VmId).HasMaxLength(200).IsRequired();
        builder.Property(s => s.DiskKey).HasMaxLength(200).IsRequired();
        builder.HasIndex(s => new { s.AssessmentId, s.At });
        builder.Ignore(s => s.BytesPerSecond);
        builder.HasOne<Assessment>().WithMany().HasForeignKey(s => s.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

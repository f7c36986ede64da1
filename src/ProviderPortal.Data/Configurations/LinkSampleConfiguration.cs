using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Data.Configurations;

internal sealed class LinkSampleConfiguration : IEntityTypeConfiguration<LinkSample>
{
    public void Configure(EntityTypeBuilder<LinkSample> builder)
    {
        builder.HasIndex(s => new { s.AssessmentId, s.At });
        builder.HasOne<Assessment>().WithMany().HasForeignKey(s => s.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

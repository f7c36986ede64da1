using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Environments;

namespace ProviderPortal.Data.Configurations;

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<Assessment> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(Assessment.MaxNameLength).IsRequired();
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.LastError).HasMaxLength(1000);
        builder.HasIndex(a => new { a.TenantId, a.Status });
        builder.HasIndex(a => new { a.Status, a.EndsAt });
        builder.HasOne<SourceEnvironment>().WithMany().HasForeignKey(a => a.EnvironmentId).OnDelete(DeleteBehavior.Cascade);

        // The VMs and their tracking positions are read and written whole, with the assessment.
        builder.Property(a => a.Vms)
            .HasConversion(
                vms => JsonSerializer.Serialize(vms, Json),
                json => JsonSerializer.Deserialize<List<AssessmentVm>>(json, Json) ?? new List<AssessmentVm>(),
                new ValueComparer<List<AssessmentVm>>(
                    (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
                    v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
                    v => JsonSerializer.Deserialize<List<AssessmentVm>>(JsonSerializer.Serialize(v, Json), Json)!))
            .IsRequired();
        builder.Ignore(a => a.SampleInterval);
        builder.Ignore(a => a.Period);
        builder.Ignore(a => a.IsObserving);
        builder.Ignore(a => a.ExpectedSamples);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Plans;

namespace ProviderPortal.Data.Configurations;

internal sealed class MigrationPlanConfiguration : IEntityTypeConfiguration<MigrationPlan>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<MigrationPlan> builder)
    {
        builder.ToTable("MigrationPlans");
        builder.Property(p => p.Name).HasMaxLength(PlanDetails.MaxNameLength).IsRequired();
        builder.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Method).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<SourceEnvironment>().WithMany().HasForeignKey(p => p.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.Vms)
            .HasConversion(
                vms => JsonSerializer.Serialize(vms, Json),
                json => JsonSerializer.Deserialize<List<PlanVm>>(json, Json) ?? new List<PlanVm>(),
                new ValueComparer<List<PlanVm>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToList()))
            .IsRequired();
        builder.Property(p => p.NetworkMappings).AsJson(() => new List<NetworkMapping>());
        builder.Property(p => p.StatusReason).HasMaxLength(MigrationPlan.MaxReasonLength);
        builder.Property(p => p.CutoverStartedBy).HasMaxLength(256);
        builder.HasOne<DestinationSite>().WithMany().HasForeignKey(p => p.DestinationId).OnDelete(DeleteBehavior.Restrict);
        builder.Ignore(p => p.IsActive);
        builder.Ignore(p => p.IsFinished);
    }
}

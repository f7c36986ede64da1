using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProviderPortal.Domain.Destinations;

namespace ProviderPortal.Data.Configurations;

internal sealed class DestinationSiteConfiguration : IEntityTypeConfiguration<DestinationSite>
{
    public void Configure(EntityTypeBuilder<DestinationSite> builder)
    {
        builder.ToTable("DestinationSites");
        builder.Property(d => d.Name).HasMaxLength(DestinationDetails.MaxNameLength).IsRequired();
        builder.HasIndex(d => d.Name).IsUnique();
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Location).HasMaxLength(DestinationDetails.MaxLocationLength).IsRequired();
        builder.Property(d => d.Networks).AsJson(() => new List<string>());
    }
}

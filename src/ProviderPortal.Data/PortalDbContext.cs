using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Domain.Audit;
using ProviderPortal.Domain.Email;
using ProviderPortal.Domain.Destinations;
using ProviderPortal.Domain.Environments;
using ProviderPortal.Domain.Invitations;
using ProviderPortal.Domain.Notifications;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Domain.Tenants;
using ProviderPortal.Domain.Windows;
using ProviderPortal.Domain.Workers;

namespace ProviderPortal.Data;

public class PortalDbContext(DbContextOptions<PortalDbContext> options, ITenantContext tenant)
    : IdentityDbContext<PortalUser, IdentityRole, string>(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<SourceEnvironment> Environments => Set<SourceEnvironment>();

    public DbSet<InventoryVm> InventoryVms => Set<InventoryVm>();

    public DbSet<Assessment> Assessments => Set<Assessment>();

    public DbSet<ChangeSample> ChangeSamples => Set<ChangeSample>();

    public DbSet<LinkSample> LinkSamples => Set<LinkSample>();

    public DbSet<MigrationPlan> MigrationPlans => Set<MigrationPlan>();

    public DbSet<VmReplication> VmReplications => Set<VmReplication>();

    public DbSet<ReplicationTask> ReplicationTasks => Set<ReplicationTask>();

    /// <summary>The provider's destination sites: offered to every tenant, changed by ProviderAdmins only.</summary>
    public DbSet<DestinationSite> DestinationSites => Set<DestinationSite>();

    public DbSet<WorkerToken> WorkerTokens => Set<WorkerToken>();

    public DbSet<WorkerSession> WorkerSessions => Set<WorkerSession>();

    /// <summary>Tenants' cutover windows; staff see every tenant's to approve them within the provider's capacity.</summary>
    public DbSet<MaintenanceWindow> MaintenanceWindows => Set<MaintenanceWindow>();

    /// <summary>The provider's device catalog: read by everyone, changed by ProviderAdmins only.</summary>
    public DbSet<Domain.SeedDevices.SeedDeviceModel> SeedDeviceModels => Set<Domain.SeedDevices.SeedDeviceModel>();

    public DbSet<SeedDeviceOrder> SeedDeviceOrders => Set<SeedDeviceOrder>();

    /// <summary>The bell: one row per recipient. Staff's rows carry the tenant they are about (or none).</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>Each user's notification choices and time zone (no row: everything on, the default zone).</summary>
    public DbSet<NotificationSettings> NotificationSettings => Set<NotificationSettings>();

    // The filters read these two per query; EF parameterizes members of the context instance.
    private Guid? CurrentTenantId => tenant.TenantId;

    private bool SeesAllTenants => tenant.CanSeeAllTenants;

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RowVersion.Bump(this);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RowVersion.Bump(this);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset columns; all times are UTC, so their ticks order them.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);

        // Tenant isolation, in one place. Every entity with a tenant carries the named filter
        // (a test walks the model to prove it); rows of another tenant never reach a query.
        TenantFilter<Tenant>(builder, t => SeesAllTenants || t.Id == CurrentTenantId);
        TenantFilter<Invitation>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<AuditEntry>(builder, e => SeesAllTenants || (e.TenantId != null && e.TenantId == CurrentTenantId));
        TenantFilter<OutboxMessage>(builder, e => SeesAllTenants || (e.TenantId != null && e.TenantId == CurrentTenantId));
        TenantFilter<SourceEnvironment>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<InventoryVm>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<Assessment>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<ChangeSample>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<LinkSample>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<MigrationPlan>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<VmReplication>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<ReplicationTask>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<WorkerToken>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<WorkerSession>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<MaintenanceWindow>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<SeedDeviceOrder>(builder, e => SeesAllTenants || e.TenantId == CurrentTenantId);
        TenantFilter<Notification>(builder, e => SeesAllTenants || (e.TenantId != null && e.TenantId == CurrentTenantId));
        TenantFilter<NotificationSettings>(builder, e => SeesAllTenants || (e.TenantId != null && e.TenantId == CurrentTenantId));

        // Users are hidden from tenant users only. Sign-in, password reset and security-stamp checks run
        // before anyone is signed in, and must find the account; staff see every account.
        TenantFilter<PortalUser>(builder, u => CurrentTenantId == null || u.TenantId == CurrentTenantId);
    }

    private static void TenantFilter<TEntity>(ModelBuilder builder, Expression<Func<TEntity, bool>> filter)
        where TEntity : class =>
        builder.Entity<TEntity>().HasQueryFilter(TenantModel.FilterName, filter);
}

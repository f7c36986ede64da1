using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ProviderPortal.Data;
using ProviderPortal.Data.Concurrency;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain;
using ProviderPortal.Domain.Plans;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Infrastructure.Identity;

namespace ProviderPortal.Web.Features.SeedDevices;

/// <summary>
/// Seed-device orders. A tenant's users order devices for a plan, load them, confirm and ship them back, and may cancel
/// before anything was shipped; provider staff (administrators and operators) approve, ship, mark delivered and received,
/// record the ingest's outcome and close. The order's state machine is the domain's: a refused step changes nothing and
/// says why. Everyone concerned is told through <see cref="INotifier"/>, in the same save as the change.
/// </summary>
public sealed class SeedDeviceOrderService(
    PortalDbContext db,
    ITenantContext scope,
    UserPermissions permissions,
    SeedDeviceKeys keys,
    INotifier notifier,
    TimeProvider clock,
    ILogger<SeedDeviceOrderService> logger)
{
    public const string TenantsOnly = "Only the tenant's own users can do this with a device order.";

    public const string StaffOnly = "Only provider staff can do this with a device order.";

    public const string NotFoundMessage = "That device order does not exist.";

    public const string BoardLink = "/provider/seed-devices/orders";

    public const string TenantLink = "/seed-devices";

    // ---- Tenant side ----

    /// <summary>The tenant's own orders, newest first.</summary>
    public async Task<IReadOnlyList<SeedDeviceOrderRow>> ListForTenantAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsTenantUserAsync())
        {
            throw new InvalidOperationException("Device orders are listed for a tenant's users here.");
        }

        return await RowsAsync(withTenantNames: false, cancellationToken);
    }

    /// <summary>How many devices of each offered model the plan needs and how long loading takes; null when the plan is not found.</summary>
    public async Task<SeedDeviceQuote?> QuoteAsync(Guid planId, CancellationToken cancellationToken = default)
    {
        if (!await IsTenantUserAsync())
        {
            return null;
        }

        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return null;
        }

        var (bytes, missing) = await BytesToLoadAsync(plan, cancellationToken);
        var models = await db.SeedDeviceModels.AsNoTracking().Where(m => !m.Retired).ToListAsync(cancellationToken);
        var options = models.OrderBy(m => m.UsableCapacityBytes).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Select(m => new SeedDeviceOption(new SeedDeviceModelRow(m.Id, m.ToDetails(), false, 0), bytes > 0 ? m.DevicesFor(bytes) : null, m.LoadTime(bytes)))
            .ToList();
        var open = await HasOpenOrderAsync(planId, cancellationToken);
        return new SeedDeviceQuote(plan.Id, plan.Name, plan.Method == PlanMethod.SeedDevice, bytes, missing, options, open);
    }

    /// <summary>
    /// Places an order for the plan's allocated bytes on the chosen model, with a fresh device key that is stored only
    /// encrypted. Staff are told there is an order to approve.
    /// </summary>
    public async Task<(ServiceResult Result, Guid? Id)> PlaceAsync(Guid planId, Guid modelId, ShippingAddress address, CancellationToken cancellationToken = default)
    {
        if (!await IsTenantUserAsync())
        {
            return (ServiceResult.Fail(TenantsOnly), null);
        }

        var addressErrors = address.Validate();
        if (addressErrors.Count > 0)
        {
            return (ServiceResult.Fail(addressErrors), null);
        }

        var plan = await db.MigrationPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, cancellationToken);
        if (plan is null)
        {
            return (ServiceResult.Fail("That plan does not exist."), null);
        }

        if (plan.Status is PlanStatus.Completed or PlanStatus.Failed or PlanStatus.Cancelled)
        {
            return (ServiceResult.Fail($"The plan {plan.Name} is finished: it needs no seed devices."), null);
        }

        var model = await db.SeedDeviceModels.AsNoTracking().SingleOrDefaultAsync(m => m.Id == modelId, cancellationToken);
        if (model is null)
        {
            return (ServiceResult.Fail("Choose a device model.", "Model"), null);
        }

        if (await HasOpenOrderAsync(planId, cancellationToken))
        {
            return (ServiceResult.Fail($"The plan {plan.Name} already has a device order in progress; cancel it first to order again."), null);
        }

        var (bytes, _) = await BytesToLoadAsync(plan, cancellationToken);
        var now = clock.GetUtcNow();
        SeedDeviceOrder order;
        try
        {
            order = SeedDeviceOrder.Place(plan.Id, model, bytes, Trimmed(address), scope.ActorName, now);
            order.AttachKey(keys.NewProtectedKey());
        }
        catch (DomainException ex)
        {
            return (ServiceResult.Fail(ex.Message, model.Retired ? "Model" : ""), null);
        }

        db.SeedDeviceOrders.Add(order);
        var tenantName = await TenantNameAsync(scope.TenantId!.Value, cancellationToken);
        await notifier.NotifyStaffAsync(NotificationKind.DeviceOrderRequested, zone => new NotificationText(
            "New device order to approve",
            $"{tenantName} ordered {Devices(order)} for the plan {plan.Name} on {At(now, zone)}: {Figures(order)} to load, to ship to {order.Address.City}, {CountryOf(order)}.",
            BoardLink), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seed-device order {OrderId} placed for plan {PlanId} by {Actor}", order.Id, plan.Id, scope.ActorName);
        return (ServiceResult.Ok, order.Id);
    }

    /// <summary>Tenant: the devices arrived and are attached; the worker writes the baseline onto them.</summary>
    public Task<ServiceResult> StartLoadingAsync(Guid id, CancellationToken cancellationToken = default) =>
        TenantStepAsync(id, (o, now) => o.StartLoading(now), null, cancellationToken);

    public Task<ServiceResult> ConfirmLoadedAsync(Guid id, CancellationToken cancellationToken = default) =>
        TenantStepAsync(id, (o, now) => o.ConfirmLoaded(now), null, cancellationToken);

    /// <summary>Tenant: the loaded devices are on their way back; staff are told there are devices to ingest.</summary>
    public Task<ServiceResult> ShipBackAsync(Guid id, string carrier, string trackingNumber, CancellationToken cancellationToken = default) =>
        TenantStepAsync(id, (o, now) => o.ShipBack(carrier, trackingNumber, now), (o, plan, tenantName, now) =>
            notifier.NotifyStaffAsync(NotificationKind.DeviceToIngest, zone => new NotificationText(
                "Devices to ingest",
                $"{tenantName} shipped {Devices(o)} of the plan {plan} back on {At(now, zone)} with {o.ReturnCarrier}, tracking number {o.ReturnTrackingNumber}.",
                BoardLink), cancellationToken), cancellationToken);

    // ---- Either side ----

    /// <summary>Cancels an order before anything was shipped: its tenant's users or staff. The other side is told.</summary>
    public async Task<ServiceResult> CancelAsync(Guid id, string reason, CancellationToken cancellationToken = default)
    {
        if (await IsStaffAsync())
        {
            return await StaffStepAsync(id, (o, now) => o.Cancel(reason, now), (o, plan, now, zone) => new NotificationText(
                "Device order cancelled",
                $"The provider cancelled the order of {Devices(o)} for the plan {plan} on {At(now, zone)}: {o.Reason}",
                TenantLink), cancellationToken);
        }

        return await TenantStepAsync(id, (o, now) => o.Cancel(reason, now), (o, plan, tenantName, now) =>
            notifier.NotifyStaffAsync(NotificationKind.DeviceOrderChanged, zone => new NotificationText(
                "Device order cancelled",
                $"{tenantName} cancelled the order of {Devices(o)} for the plan {plan} on {At(now, zone)}: {o.Reason}",
                BoardLink), cancellationToken), cancellationToken);
    }

    // ---- Staff side ----

    /// <summary>Every tenant's orders with the tenant's name, for the fulfilment board.</summary>
    public async Task<IReadOnlyList<SeedDeviceOrderRow>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        if (!await IsStaffAsync())
        {
            throw new InvalidOperationException("The fulfilment board is for provider staff only.");
        }

        return await RowsAsync(withTenantNames: true, cancellationToken);
    }

    /// <summary>Staff: approve; staff are told there are devices to ship, the tenant that its order was approved.</summary>
    public async Task<ServiceResult> ApproveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var result = await StaffStepAsync(id, (o, now) => o.Approve(now), (o, plan, now, zone) => new NotificationText(
            "Device order approved",
            $"Your order of {Devices(o)} for the plan {plan} was approved on {At(now, zone)}; the devices are being prepared for shipping.",
            TenantLink), cancellationToken, async (o, plan, tenantName, now) =>
                await notifier.NotifyStaffAsync(NotificationKind.DeviceToShip, zone => new NotificationText(
                    "Devices to ship",
                    $"Ship {Devices(o)} to {tenantName} for the plan {plan} (approved on {At(now, zone)}): {o.Address.Recipient}, {o.Address.City}, {CountryOf(o)}.",
                    BoardLink), cancellationToken));
        return result;
    }

    public Task<ServiceResult> ShipAsync(Guid id, string carrier, string trackingNumber, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.Ship(carrier, trackingNumber, now), (o, plan, now, zone) => new NotificationText(
            "Seed devices shipped",
            $"The {Devices(o)} for the plan {plan} were shipped on {At(now, zone)} with {o.Carrier}, tracking number {o.TrackingNumber}.",
            TenantLink), cancellationToken);

    public Task<ServiceResult> MarkDeliveredAsync(Guid id, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.MarkDelivered(now), (o, plan, now, zone) => new NotificationText(
            "Seed devices delivered",
            $"The {Devices(o)} for the plan {plan} were delivered on {At(now, zone)}. Attach them and start loading from the seed devices page.",
            TenantLink), cancellationToken);

    public Task<ServiceResult> MarkReceivedAsync(Guid id, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.MarkReceived(now), (o, plan, now, zone) => new NotificationText(
            "Seed devices received",
            $"The provider received the {Devices(o)} of the plan {plan} back on {At(now, zone)}; their ingest comes next.",
            TenantLink), cancellationToken);

    public Task<ServiceResult> StartIngestAsync(Guid id, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.StartIngest(now), (o, plan, now, zone) => new NotificationText(
            "Seed devices being ingested",
            $"The ingest of the {Devices(o)} of the plan {plan} started on {At(now, zone)}.",
            TenantLink), cancellationToken);

    /// <summary>Staff record the ingest's outcome: how many chunks were verified against the manifest.</summary>
    public Task<ServiceResult> FinishIngestAsync(Guid id, long verifiedChunks, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.FinishIngest(verifiedChunks, now), (o, plan, now, zone) => new NotificationText(
            "Seed devices ingested",
            $"The seed of the plan {plan} was ingested on {At(now, zone)}: {Plural.Count(o.VerifiedChunks ?? 0, "chunk")} verified. Replication now sends only the changes since the seed.",
            TenantLink), cancellationToken);

    public Task<ServiceResult> FailIngestAsync(Guid id, string reason, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.FailIngest(reason, now), (o, plan, now, zone) => new NotificationText(
            "Seed ingest failed",
            $"The ingest of the {Devices(o)} of the plan {plan} failed on {At(now, zone)}: {o.Reason} The provider will try it again.",
            TenantLink), cancellationToken);

    public Task<ServiceResult> CloseAsync(Guid id, CancellationToken cancellationToken = default) =>
        StaffStepAsync(id, (o, now) => o.Close(now), (o, plan, now, zone) => new NotificationText(
            "Device order closed",
            $"The order of {Devices(o)} for the plan {plan} was closed on {At(now, zone)}; the devices were wiped.",
            TenantLink), cancellationToken);

    // ---- Shared ----

    private async Task<ServiceResult> TenantStepAsync(
        Guid id,
        Action<SeedDeviceOrder, DateTimeOffset> step,
        Func<SeedDeviceOrder, string, string, DateTimeOffset, Task>? notify,
        CancellationToken cancellationToken)
    {
        if (!await IsTenantUserAsync())
        {
            return ServiceResult.Fail(TenantsOnly);
        }

        // The tenant filter keeps other tenants' orders out: a guessed id is simply not found.
        var order = await FreshAsync(id, cancellationToken);
        if (order is null)
        {
            return ServiceResult.Fail(NotFoundMessage);
        }

        var now = clock.GetUtcNow();
        if (Apply(order, step, now) is { } refused)
        {
            return refused;
        }

        if (notify is not null)
        {
            await notify(order, await PlanNameAsync(order.PlanId, cancellationToken), await TenantNameAsync(order.TenantId, cancellationToken), now);
        }

        if (!await SaveAsync(cancellationToken))
        {
            return ServiceResult.Fail(Changed);
        }

        logger.LogInformation("Seed-device order {OrderId} is {Status} now ({Actor})", order.Id, order.Status, scope.ActorName);
        return ServiceResult.Ok;
    }

    private async Task<ServiceResult> StaffStepAsync(
        Guid id,
        Action<SeedDeviceOrder, DateTimeOffset> step,
        Func<SeedDeviceOrder, string, DateTimeOffset, TimeZoneInfo, NotificationText> tenantText,
        CancellationToken cancellationToken,
        Func<SeedDeviceOrder, string, string, DateTimeOffset, Task>? notifyStaff = null)
    {
        if (!await IsStaffAsync())
        {
            return ServiceResult.Fail(StaffOnly);
        }

        var order = await FreshAsync(id, cancellationToken);
        if (order is null)
        {
            return ServiceResult.Fail(NotFoundMessage);
        }

        var now = clock.GetUtcNow();
        if (Apply(order, step, now) is { } refused)
        {
            return refused;
        }

        var plan = await PlanNameAsync(order.PlanId, cancellationToken);
        await notifier.NotifyTenantAdminsAsync(order.TenantId, NotificationKind.DeviceOrderChanged, zone => tenantText(order, plan, now, zone), cancellationToken);
        if (notifyStaff is not null)
        {
            await notifyStaff(order, plan, await TenantNameAsync(order.TenantId, cancellationToken), now);
        }

        if (!await SaveAsync(cancellationToken))
        {
            return ServiceResult.Fail(Changed);
        }

        logger.LogInformation("Seed-device order {OrderId} is {Status} now ({Actor})", order.Id, order.Status, scope.ActorName);
        return ServiceResult.Ok;
    }

    /// <summary>What a user reads when the order changed under them.</summary>
    public const string Changed = "Someone else changed this order a moment ago, so nothing was done. Look at it again.";

    /// <summary>
    /// The order as the database holds it now: the board and the orders page keep one context for as long as they are
    /// open, and a copy read minutes ago must not decide (shipping an order the tenant has cancelled since).
    /// </summary>
    private Task<SeedDeviceOrder?> FreshAsync(Guid id, CancellationToken cancellationToken) =>
        db.LoadFreshAsync(db.SeedDeviceOrders.Where(o => o.Id == id), cancellationToken);

    /// <summary>Saves, unless the order changed since it was read (its row version): then nothing of this step is kept.</summary>
    private async Task<bool> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.DiscardPendingChanges();
            return false;
        }
    }

    /// <summary>Runs a domain step; a refused one leaves the tracked order as it was and says why.</summary>
    private ServiceResult? Apply(SeedDeviceOrder order, Action<SeedDeviceOrder, DateTimeOffset> step, DateTimeOffset now)
    {
        try
        {
            step(order, now);
            return null;
        }
        catch (DomainException ex)
        {
            // The domain checks before it changes anything; detaching makes sure nothing half-done is ever saved.
            db.Entry(order).State = EntityState.Detached;
            return ServiceResult.Fail(ex.Message);
        }
    }

    private async Task<IReadOnlyList<SeedDeviceOrderRow>> RowsAsync(bool withTenantNames, CancellationToken cancellationToken)
    {
        var orders = await db.SeedDeviceOrders.AsNoTracking().ToListAsync(cancellationToken);
        var planIds = orders.Select(o => o.PlanId).Distinct().ToList();
        var plans = await db.MigrationPlans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var tenants = withTenantNames
            ? await db.Tenants.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, cancellationToken)
            : [];
        return [.. orders.OrderByDescending(o => o.RequestedAt).Select(o => new SeedDeviceOrderRow(
            o.Id, withTenantNames ? tenants.GetValueOrDefault(o.TenantId, "(removed)") : null, o.PlanId, plans.GetValueOrDefault(o.PlanId, "(removed)"),
            o.ModelName, o.DeviceCount, o.BytesToLoad, o.Status, o.RequestedAt, o.RequestedBy, o.Address,
            o.Carrier, o.TrackingNumber, o.ReturnCarrier, o.ReturnTrackingNumber, new Dictionary<SeedDeviceOrderStatus, DateTimeOffset>(o.Steps),
            o.Reason, o.VerifiedChunks))];
    }

    /// <summary>The allocated bytes of the plan's VMs as the inventory last saw them (capacity where the platform does not tell).</summary>
    private async Task<(long Bytes, int Missing)> BytesToLoadAsync(MigrationPlan plan, CancellationToken cancellationToken)
    {
        var ids = plan.Vms.Select(v => v.VmId).ToList();
        var vms = await db.InventoryVms.AsNoTracking()
            .Where(v => v.EnvironmentId == plan.EnvironmentId && ids.Contains(v.ExternalId))
            .Select(v => new { v.ExternalId, Bytes = v.AllocatedBytes ?? v.CapacityBytes })
            .ToListAsync(cancellationToken);
        var found = vms.DistinctBy(v => v.ExternalId).ToList();
        return (found.Sum(v => v.Bytes), ids.Distinct().Count() - found.Count);
    }

    private Task<bool> HasOpenOrderAsync(Guid planId, CancellationToken cancellationToken) =>
        db.SeedDeviceOrders.AnyAsync(o => o.PlanId == planId && o.Status != SeedDeviceOrderStatus.Closed && o.Status != SeedDeviceOrderStatus.Cancelled, cancellationToken);

    private async Task<string> PlanNameAsync(Guid planId, CancellationToken cancellationToken) =>
        await db.MigrationPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken) ?? "(removed)";

    private async Task<string> TenantNameAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "A tenant";

    private async Task<bool> IsTenantUserAsync() => scope.TenantId is not null && await permissions.AllowsAsync(Policies.TenantUser);

    private async Task<bool> IsStaffAsync() => scope.CanSeeAllTenants && await permissions.AllowsAsync(Policies.ProviderStaff);

    private static ShippingAddress Trimmed(ShippingAddress a) => new(
        a.Recipient.Trim(), string.IsNullOrWhiteSpace(a.Company) ? null : a.Company.Trim(), a.Street.Trim(), string.IsNullOrWhiteSpace(a.Street2) ? null : a.Street2.Trim(),
        a.PostalCode.Trim(), a.City.Trim(), a.Country.Trim(), a.ContactName.Trim(), a.ContactEmail.Trim(), a.Phone.Trim());

    private static string Devices(SeedDeviceOrder order) => order.DeviceCount == 1 ? $"1 × {order.ModelName}" : $"{order.DeviceCount} × {order.ModelName}";

    private static string CountryOf(SeedDeviceOrder order) => Countries.NameOf(order.Address.Country) ?? order.Address.Country;

    private static string Figures(SeedDeviceOrder order) => Components.Shared.Figures.Bytes(order.BytesToLoad);

    /// <summary>A time as the recipient reads it: in their zone, named.</summary>
    public static string At(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({zone.Id})";
}

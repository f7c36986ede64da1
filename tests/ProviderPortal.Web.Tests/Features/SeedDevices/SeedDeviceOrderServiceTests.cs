using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Data;
using ProviderPortal.Domain.SeedDevices;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.Notifications;
using ProviderPortal.Web.Features.SeedDevices;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.SeedDevices;

/// <summary>
/// Orders through the service, by role: tenant users order, load and ship back; staff approve, ship, receive and ingest;
/// every refusal changes nothing; a tenant never reaches another tenant's order; the device key is kept only encrypted.
/// </summary>
public sealed class SeedDeviceOrderServiceTests(SeedDeviceWorld world) : IClassFixture<SeedDeviceWorld>
{
    private TestTenant A => world.A;

    private TestTenant B => world.B;

    private IReadOnlyList<RecordedNotification> SentAbout(string planName) =>
        [.. world.Factory.Notifications.Sent.Where(n => n.Text.Body.Contains(planName, StringComparison.Ordinal))];

    [Fact]
    public async Task QuoteAsync_TenantsPlan_SizedFromTheVmsAllocatedBytes()
    {
        var planId = await world.PlanAsync(A, "quote-plan");

        var quote = await world.AsAsync(TestUsers.MemberOf(A), s => s.QuoteAsync(planId));

        Assert.NotNull(quote);
        Assert.Equal(SeedDeviceWorld.PlanBytes, quote.BytesToLoad);
        Assert.Equal(0, quote.VmsNotInInventory);
        var option = Assert.Single(quote.Options, o => o.Model.Name == SeedDeviceWorld.ConfiguredModel);
        Assert.Equal(1, option.DeviceCount);
        Assert.Equal(SeedDeviceWorld.PlanBytes / 250e6, option.LoadTime.TotalSeconds, 3);
    }

    [Fact]
    public async Task QuoteAsync_OtherTenantsPlan_NotFound()
    {
        var planId = await world.PlanAsync(B, "quote-b-plan");

        Assert.Null(await world.AsAsync(TestUsers.AdminOf(A), s => s.QuoteAsync(planId)));
    }

    [Fact]
    public async Task PlaceAsync_TenantMember_RequestedAndStaffToldInTheirZone()
    {
        var planId = await world.PlanAsync(A, "place-member-plan");

        var (result, id) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));

        Assert.True(result.Succeeded, result.Message);
        var order = await world.ReadAsync(id!.Value);
        Assert.Equal(A.Id, order.TenantId);
        Assert.Equal(SeedDeviceOrderStatus.Requested, order.Status);
        Assert.Equal(SeedDeviceWorld.ConfiguredModel, order.ModelName);
        Assert.Equal(1, order.DeviceCount);
        Assert.Equal(SeedDeviceWorld.PlanBytes, order.BytesToLoad);
        Assert.Equal(A.Member.Email, order.RequestedBy);
        Assert.Equal("Paris", order.Address.City);
        var told = Assert.Single(SentAbout("place-member-plan"));
        Assert.Null(told.TenantId);
        Assert.Equal(NotificationKind.DeviceOrderRequested, told.Kind);
        Assert.Equal("New device order to approve", told.Text.Title);
        Assert.Contains(A.Name, told.Text.Body);
        Assert.Contains("(Asia/Tokyo)", told.Text.Body);
        Assert.Equal(SeedDeviceOrderService.BoardLink, told.Text.Link);
    }

    [Fact]
    public async Task PlaceAsync_TenantAdmin_Allowed()
    {
        var planId = await world.PlanAsync(A, "place-admin-plan");

        var (result, _) = await world.AsAsync(TestUsers.AdminOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(1, await world.CountOrdersAsync(planId));
    }

    [Fact]
    public async Task PlaceAsync_ProviderStaff_RefusedAndNothingSaved()
    {
        var planId = await world.PlanAsync(A, "place-staff-plan");

        var byOperator = await world.AsAsync(TestUsers.ProviderOperator, s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));
        var byAdmin = await world.AsAsync(TestUsers.ProviderAdmin, s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));

        Assert.Equal(SeedDeviceOrderService.TenantsOnly, byOperator.Result.Message);
        Assert.Equal(SeedDeviceOrderService.TenantsOnly, byAdmin.Result.Message);
        Assert.Equal(0, await world.CountOrdersAsync(planId));
        Assert.Empty(SentAbout("place-staff-plan"));
    }

    [Fact]
    public async Task PlaceAsync_InvalidAddress_PlainMessagePerFieldAndNothingSaved()
    {
        var planId = await world.PlanAsync(A, "place-invalid-plan");
        var address = SeedDeviceWorld.Address with { Recipient = " ", Country = "France", ContactEmail = "ops at alpha" };

        var (result, id) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, world.ModelId, address));

        Assert.Null(id);
        Assert.Equal("Enter who receives the device.", result.Errors["Recipient"]);
        Assert.Equal("Choose the country from the list.", result.Errors["Country"]);
        Assert.Equal("Enter the contact's email address, such as ops@example.com.", result.Errors["ContactEmail"]);
        Assert.Equal(0, await world.CountOrdersAsync(planId));
    }

    [Fact]
    public async Task PlaceAsync_OtherTenantsPlan_DoesNotExistAndNothingSaved()
    {
        var planId = await world.PlanAsync(B, "place-foreign-plan");

        var (result, _) = await world.AsAsync(TestUsers.AdminOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));

        Assert.Equal("That plan does not exist.", result.Message);
        Assert.Equal(0, await world.CountOrdersAsync(planId));
    }

    [Fact]
    public async Task PlaceAsync_SecondOrderWhileOneIsOpen_RefusedUntilCancelled()
    {
        var planId = await world.PlanAsync(A, "place-twice-plan");
        var (first, firstId) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));
        Assert.True(first.Succeeded, first.Message);

        var (second, _) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));
        Assert.Equal("The plan place-twice-plan already has a device order in progress; cancel it first to order again.", second.Message);
        Assert.Equal(1, await world.CountOrdersAsync(planId));

        Assert.True((await world.AsAsync(TestUsers.MemberOf(A), s => s.CancelAsync(firstId!.Value, "Ordered the wrong model"))).Succeeded);
        var (third, _) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address));
        Assert.True(third.Succeeded, third.Message);
    }

    [Fact]
    public async Task PlaceAsync_RetiredModel_RefusedAndNothingSaved()
    {
        var modelId = await world.Factory.AsUserAsync(TestUsers.ProviderAdmin, async s =>
        {
            var catalog = s.GetRequiredService<SeedDeviceCatalogService>();
            var (created, id) = await catalog.CreateAsync(new SeedDeviceModelDetails("Old 2 TB disk", 2_000_000_000_000, 100_000_000, 2));
            Assert.True(created.Succeeded, created.Message);
            Assert.True((await catalog.RetireAsync(id!.Value)).Succeeded);
            return id.Value;
        });
        var planId = await world.PlanAsync(A, "place-retired-plan");

        var (result, _) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, modelId, SeedDeviceWorld.Address));

        Assert.Equal("The device Old 2 TB disk is no longer offered; choose another one.", result.Errors["Model"]);
        Assert.Equal(0, await world.CountOrdersAsync(planId));
    }

    [Fact]
    public async Task PlaceAsync_DeviceKey_StoredOnlyEncryptedAndDecryptableByThePortal()
    {
        var first = await world.OrderAsync(A, "key-plan-1");
        var second = await world.OrderAsync(A, "key-plan-2");

        var (protectedKeys, audit) = await world.Factory.AsSystemAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var ids = new[] { first, second };
            var stored = await db.Database.SqlQueryRaw<string>("SELECT ProtectedKey AS Value FROM SeedDeviceOrders WHERE ProtectedKey IS NOT NULL").ToListAsync();
            var changes = await db.AuditEntries.Where(e => e.EntityType == nameof(SeedDeviceOrder)).Select(e => e.Changes).ToListAsync();
            return (stored, changes);
        });
        var keys = world.Factory.Services.GetRequiredService<SeedDeviceKeys>();
        var firstKey = await world.ReadAsync(first);
        var secondKey = await world.ReadAsync(second);
        var raw1 = keys.Unprotect(firstKey.ProtectedKey!);
        var raw2 = keys.Unprotect(secondKey.ProtectedKey!);

        Assert.Equal(32, raw1.Length);
        Assert.NotEqual(raw1, raw2);
        Assert.Contains(firstKey.ProtectedKey, protectedKeys);
        foreach (var column in protectedKeys)
        {
            Assert.DoesNotContain(Convert.ToBase64String(raw1), column);
            Assert.DoesNotContain(Convert.ToHexString(raw1), column, StringComparison.OrdinalIgnoreCase);
        }

        // The audit log names the key but never holds it, not even encrypted.
        Assert.NotEmpty(audit);
        Assert.All(audit, changes => Assert.DoesNotContain(firstKey.ProtectedKey!, changes));
        Assert.All(audit, changes => Assert.DoesNotContain(Convert.ToBase64String(raw1), changes));
        Assert.DoesNotContain(world.Factory.Logs.Entries, e => e.Contains(Convert.ToBase64String(raw1), StringComparison.Ordinal));
    }

    [Fact]
    public void SeedDeviceOrderRow_HasNoKey()
    {
        Assert.DoesNotContain(typeof(SeedDeviceOrderRow).GetProperties(), p => p.Name.Contains("Key", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WholeLifecycle_EachSideItsSteps_TenantAdminsAndStaffTold()
    {
        var id = await world.OrderAsync(A, "lifecycle-plan");
        var op = TestUsers.ProviderOperator;
        var admin = TestUsers.ProviderAdmin;

        await world.StepsAsync(id,
            (op, (s, o) => s.ApproveAsync(o)),
            (admin, (s, o) => s.ShipAsync(o, " DHL ", " JD0146 ")),
            (op, (s, o) => s.MarkDeliveredAsync(o)),
            (TestUsers.MemberOf(A), (s, o) => s.StartLoadingAsync(o)),
            (TestUsers.AdminOf(A), (s, o) => s.ConfirmLoadedAsync(o)),
            (TestUsers.MemberOf(A), (s, o) => s.ShipBackAsync(o, "UPS", "1Z999")),
            (op, (s, o) => s.MarkReceivedAsync(o)),
            (op, (s, o) => s.StartIngestAsync(o)),
            (op, (s, o) => s.FailIngestAsync(o, "Chunk 17 did not match the manifest.")));
        Assert.Equal(SeedDeviceOrderStatus.Received, (await world.ReadAsync(id)).Status);
        Assert.Equal("Chunk 17 did not match the manifest.", (await world.ReadAsync(id)).Reason);
        await world.StepsAsync(id,
            (op, (s, o) => s.StartIngestAsync(o)),
            (admin, (s, o) => s.FinishIngestAsync(o, 61_035)),
            (op, (s, o) => s.CloseAsync(o)));

        var order = await world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Closed, order.Status);
        Assert.Equal(("DHL", "JD0146"), (order.Carrier, order.TrackingNumber));
        Assert.Equal(("UPS", "1Z999"), (order.ReturnCarrier, order.ReturnTrackingNumber));
        Assert.Equal(61_035, order.VerifiedChunks);
        Assert.Null(order.Reason);

        var sent = SentAbout("lifecycle-plan");
        Assert.Equal(
            [NotificationKind.DeviceOrderRequested, NotificationKind.DeviceOrderChanged, NotificationKind.DeviceToShip, NotificationKind.DeviceOrderChanged,
             NotificationKind.DeviceOrderChanged, NotificationKind.DeviceToIngest, NotificationKind.DeviceOrderChanged, NotificationKind.DeviceOrderChanged,
             NotificationKind.DeviceOrderChanged, NotificationKind.DeviceOrderChanged, NotificationKind.DeviceOrderChanged, NotificationKind.DeviceOrderChanged],
            sent.Select(n => n.Kind));
        Assert.All(sent.Where(n => n.Kind == NotificationKind.DeviceOrderChanged), n => Assert.Equal(A.Id, n.TenantId));
        Assert.All(sent.Where(n => n.Kind != NotificationKind.DeviceOrderChanged), n => Assert.Null(n.TenantId));
        Assert.All(sent, n => Assert.Contains("(Asia/Tokyo)", n.Text.Body));
        Assert.Contains(sent, n => n.Text.Title == "Seed devices shipped" && n.Text.Body.Contains("with DHL, tracking number JD0146", StringComparison.Ordinal));
        Assert.Contains(sent, n => n.Kind == NotificationKind.DeviceToIngest && n.Text.Body.Contains("with UPS, tracking number 1Z999", StringComparison.Ordinal));
        Assert.Contains(sent, n => n.Text.Title == "Seed ingest failed" && n.Text.Body.Contains("Chunk 17 did not match the manifest.", StringComparison.Ordinal));
        Assert.Contains(sent, n => n.Text.Title == "Seed devices ingested" && n.Text.Body.Contains("61,035 chunks verified", StringComparison.Ordinal));
    }

    public static TheoryData<string> StaffSteps() => new("approve", "ship", "delivered", "received", "start-ingest", "finish-ingest", "fail-ingest", "close");

    private static Task<ServiceResult> StaffStep(SeedDeviceOrderService s, Guid id, string step) => step switch
    {
        "approve" => s.ApproveAsync(id),
        "ship" => s.ShipAsync(id, "DHL", "JD1"),
        "delivered" => s.MarkDeliveredAsync(id),
        "received" => s.MarkReceivedAsync(id),
        "start-ingest" => s.StartIngestAsync(id),
        "finish-ingest" => s.FinishIngestAsync(id, 10),
        "fail-ingest" => s.FailIngestAsync(id, "unreadable"),
        _ => s.CloseAsync(id),
    };

    [Theory]
    [MemberData(nameof(StaffSteps))]
    public async Task StaffStep_TenantUsers_RefusedAndUnchanged(string step)
    {
        var id = await world.OrderAsync(A, $"staff-step-{step}");

        foreach (var user in new[] { TestUsers.MemberOf(A), TestUsers.AdminOf(A) })
        {
            var result = await world.AsAsync(user, s => StaffStep(s, id, step));
            Assert.Equal(SeedDeviceOrderService.StaffOnly, result.Message);
        }

        Assert.Equal(SeedDeviceOrderStatus.Requested, (await world.ReadAsync(id)).Status);
        Assert.Single(SentAbout($"staff-step-{step}"));
    }

    [Fact]
    public async Task TenantSteps_ProviderStaff_RefusedAndUnchanged()
    {
        var id = await world.OrderAsync(A, "tenant-steps-staff");
        await world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)), (TestUsers.ProviderOperator, (s, o) => s.ShipAsync(o, "DHL", "1")),
            (TestUsers.ProviderOperator, (s, o) => s.MarkDeliveredAsync(o)));

        foreach (var user in new[] { TestUsers.ProviderOperator, TestUsers.ProviderAdmin })
        {
            Assert.Equal(SeedDeviceOrderService.TenantsOnly, (await world.AsAsync(user, s => s.StartLoadingAsync(id))).Message);
            Assert.Equal(SeedDeviceOrderService.TenantsOnly, (await world.AsAsync(user, s => s.ConfirmLoadedAsync(id))).Message);
            Assert.Equal(SeedDeviceOrderService.TenantsOnly, (await world.AsAsync(user, s => s.ShipBackAsync(id, "UPS", "1"))).Message);
        }

        Assert.Equal(SeedDeviceOrderStatus.Delivered, (await world.ReadAsync(id)).Status);
    }

    [Fact]
    public async Task Board_OpenWhileTheTenantCancels_ShipIsRefusedAndTheCancelStands()
    {
        var id = await world.OrderAsync(A, "board-stale");
        Assert.True((await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(id))).Succeeded);
        // The board (one context while it is open) has read the order while it was approved.
        await using var board = world.Factory.ScopeFor(TestUsers.ProviderOperator);
        Assert.Equal(SeedDeviceOrderStatus.Approved,
            (await board.ServiceProvider.GetRequiredService<PortalDbContext>().SeedDeviceOrders.SingleAsync(o => o.Id == id)).Status);

        Assert.True((await world.AsAsync(TestUsers.MemberOf(A), s => s.CancelAsync(id, "The link got faster"))).Succeeded);
        var ship = await board.ServiceProvider.GetRequiredService<SeedDeviceOrderService>().ShipAsync(id, "DHL", "JD2");

        Assert.Equal("An order that is cancelled cannot be shipped.", ship.Message);
        var order = await world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Cancelled, order.Status);
        Assert.Null(order.Carrier);
    }

    [Fact]
    public async Task StaffStep_OutOfOrder_DomainMessageAndUnchanged()
    {
        var id = await world.OrderAsync(A, "out-of-order");

        var ship = await world.AsAsync(TestUsers.ProviderOperator, s => s.ShipAsync(id, "DHL", "JD1"));
        var close = await world.AsAsync(TestUsers.ProviderAdmin, s => s.CloseAsync(id));
        var load = await world.AsAsync(TestUsers.MemberOf(A), s => s.StartLoadingAsync(id));

        Assert.Equal("An order that is requested cannot be shipped.", ship.Message);
        Assert.Equal("An order that is requested cannot be closed.", close.Message);
        Assert.Equal("An order that is requested cannot start loading.", load.Message);
        var order = await world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Requested, order.Status);
        Assert.Null(order.Carrier);
        Assert.Single(SentAbout("out-of-order"));
    }

    [Fact]
    public async Task ShipAsync_NoTrackingNumber_RefusedAndUnchanged()
    {
        var id = await world.OrderAsync(A, "ship-no-tracking");
        await world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)));

        var result = await world.AsAsync(TestUsers.ProviderOperator, s => s.ShipAsync(id, "DHL", "  "));

        Assert.Equal("Enter the carrier and its tracking number.", result.Message);
        var order = await world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Approved, order.Status);
        Assert.Null(order.Carrier);
    }

    [Fact]
    public async Task FinishIngestAsync_NoChunks_RefusedAndStillIngesting()
    {
        var id = await world.OrderAsync(A, "finish-zero");
        var op = TestUsers.ProviderOperator;
        await world.StepsAsync(id, (op, (s, o) => s.ApproveAsync(o)), (op, (s, o) => s.ShipAsync(o, "DHL", "1")), (op, (s, o) => s.MarkDeliveredAsync(o)),
            (TestUsers.MemberOf(A), (s, o) => s.StartLoadingAsync(o)), (TestUsers.MemberOf(A), (s, o) => s.ConfirmLoadedAsync(o)),
            (TestUsers.MemberOf(A), (s, o) => s.ShipBackAsync(o, "UPS", "2")), (op, (s, o) => s.MarkReceivedAsync(o)), (op, (s, o) => s.StartIngestAsync(o)));

        var result = await world.AsAsync(op, s => s.FinishIngestAsync(id, 0));

        Assert.Equal("An ingest verifies at least one chunk.", result.Message);
        Assert.Equal(SeedDeviceOrderStatus.Ingesting, (await world.ReadAsync(id)).Status);
    }

    [Fact]
    public async Task CancelAsync_TenantMemberWithReason_CancelledAndStaffTold()
    {
        var id = await world.OrderAsync(A, "cancel-member");

        var noReason = await world.AsAsync(TestUsers.MemberOf(A), s => s.CancelAsync(id, " "));
        Assert.Equal("Give a reason.", noReason.Message);
        Assert.Equal(SeedDeviceOrderStatus.Requested, (await world.ReadAsync(id)).Status);

        var result = await world.AsAsync(TestUsers.MemberOf(A), s => s.CancelAsync(id, "The link got faster"));

        Assert.True(result.Succeeded, result.Message);
        var order = await world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Cancelled, order.Status);
        Assert.Equal("The link got faster", order.Reason);
        var told = SentAbout("cancel-member").Last();
        Assert.Null(told.TenantId);
        Assert.Equal("Device order cancelled", told.Text.Title);
    }

    [Fact]
    public async Task CancelAsync_OperatorAfterApproval_CancelledAndTenantAdminsTold()
    {
        var id = await world.OrderAsync(A, "cancel-operator");
        await world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)));

        var result = await world.AsAsync(TestUsers.ProviderOperator, s => s.CancelAsync(id, "Out of stock"));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(SeedDeviceOrderStatus.Cancelled, (await world.ReadAsync(id)).Status);
        var told = SentAbout("cancel-operator").Last();
        Assert.Equal(A.Id, told.TenantId);
        Assert.Equal(NotificationKind.DeviceOrderChanged, told.Kind);
        Assert.Contains("Out of stock", told.Text.Body);
    }

    [Fact]
    public async Task CancelAsync_AfterShipping_RefusedBothSides()
    {
        var id = await world.OrderAsync(A, "cancel-shipped");
        await world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)), (TestUsers.ProviderOperator, (s, o) => s.ShipAsync(o, "DHL", "9")));

        var byTenant = await world.AsAsync(TestUsers.AdminOf(A), s => s.CancelAsync(id, "changed my mind"));
        var byStaff = await world.AsAsync(TestUsers.ProviderAdmin, s => s.CancelAsync(id, "changed our mind"));

        Assert.Equal("An order that is shipped cannot be cancelled: the devices are already on their way.", byTenant.Message);
        Assert.Equal(byTenant.Message, byStaff.Message);
        Assert.Equal(SeedDeviceOrderStatus.Shipped, (await world.ReadAsync(id)).Status);
    }

    [Fact]
    public async Task OtherTenantsOrder_EveryTenantAction_DoesNotExistAndUntouched()
    {
        var id = await world.OrderAsync(B, "foreign-order");
        await world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)), (TestUsers.ProviderOperator, (s, o) => s.ShipAsync(o, "DHL", "BRAVO-1")),
            (TestUsers.ProviderOperator, (s, o) => s.MarkDeliveredAsync(o)));

        foreach (var user in new[] { TestUsers.MemberOf(A), TestUsers.AdminOf(A) })
        {
            var results = await world.AsAsync(user, async s => new[]
            {
                await s.StartLoadingAsync(id), await s.ConfirmLoadedAsync(id), await s.ShipBackAsync(id, "UPS", "1"), await s.CancelAsync(id, "not mine"),
            });
            Assert.All(results, r => Assert.Equal(SeedDeviceOrderService.NotFoundMessage, r.Message));
            Assert.DoesNotContain(await world.AsAsync(user, s => s.ListForTenantAsync()), o => o.Id == id);
        }

        Assert.Equal(SeedDeviceOrderStatus.Delivered, (await world.ReadAsync(id)).Status);
        Assert.Contains(await world.AsAsync(TestUsers.MemberOf(B), s => s.ListForTenantAsync()), o => o.Id == id);
    }

    [Fact]
    public async Task UnknownOrder_StaffAndTenant_DoesNotExist()
    {
        var unknown = Guid.NewGuid();

        Assert.Equal(SeedDeviceOrderService.NotFoundMessage, (await world.AsAsync(TestUsers.ProviderOperator, s => s.ApproveAsync(unknown))).Message);
        Assert.Equal(SeedDeviceOrderService.NotFoundMessage, (await world.AsAsync(TestUsers.MemberOf(A), s => s.StartLoadingAsync(unknown))).Message);
    }

    [Fact]
    public async Task ListAllAsync_Staff_EveryTenantWithItsName_TenantsRefused()
    {
        var a = await world.OrderAsync(A, "board-a");
        var b = await world.OrderAsync(B, "board-b");

        var rows = await world.AsAsync(TestUsers.ProviderOperator, s => s.ListAllAsync());

        Assert.Equal(A.Name, rows.Single(r => r.Id == a).TenantName);
        Assert.Equal(B.Name, rows.Single(r => r.Id == b).TenantName);
        Assert.Equal("board-b", rows.Single(r => r.Id == b).PlanName);
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.AsAsync(TestUsers.AdminOf(A), s => s.ListAllAsync()));
        var own = await world.AsAsync(TestUsers.MemberOf(A), s => s.ListForTenantAsync());
        Assert.Contains(own, r => r.Id == a);
        Assert.DoesNotContain(own, r => r.Id == b);
        Assert.All(own, r => Assert.Null(r.TenantName));
    }

    [Fact]
    public async Task ShipAsync_CarrierOf5000Characters_RefusedWithTheLimitAndNotShipped()
    {
        var id = await world.OrderAsync(A, "ship-long-carrier");
        await world.StepsAsync(id, (TestUsers.ProviderOperator, (s, o) => s.ApproveAsync(o)));

        var result = await world.AsAsync(TestUsers.ProviderOperator, s => s.ShipAsync(id, new string('c', 5000), "JD0146"));

        Assert.Equal("The carrier can be at most 100 characters.", result.Message);
        var order = await world.ReadAsync(id);
        Assert.Equal(SeedDeviceOrderStatus.Approved, order.Status);
        Assert.Null(order.Carrier);
    }

    [Fact]
    public async Task PlaceAsync_RecipientOf5000Characters_SaysTheLimitNotThatItIsMissing()
    {
        var planId = await world.PlanAsync(A, "place-long-recipient");

        var (result, id) = await world.AsAsync(TestUsers.MemberOf(A), s => s.PlaceAsync(planId, world.ModelId, SeedDeviceWorld.Address with { Recipient = new string('r', 5000) }));

        Assert.Null(id);
        Assert.Equal("The recipient can be at most 200 characters.", result.Errors["Recipient"]);
        Assert.Equal(0, await world.CountOrdersAsync(planId));
    }
}

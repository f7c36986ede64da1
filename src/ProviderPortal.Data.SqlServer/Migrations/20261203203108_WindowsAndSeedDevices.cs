using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class WindowsAndSeedDevices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MaintenanceWindows",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    StartsAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    EndsAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    TimeZoneId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    DecidedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ProposedStartsAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ProposedEndsAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    AtRiskReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    RemindersSent = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MaintenanceWindows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MaintenanceWindows_MigrationPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MigrationPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MaintenanceWindows_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SeedDeviceModels",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    UsableCapacityBytes = table.Column<long>(type: "bigint", nullable: false),
                    TransferBytesPerSecond = table.Column<long>(type: "bigint", nullable: false),
                    ShippingDaysEachWay = table.Column<int>(type: "int", nullable: false),
                    IngestBytesPerSecond = table.Column<long>(type: "bigint", nullable: false),
                    HandlingDays = table.Column<int>(type: "int", nullable: false),
                    Retired = table.Column<bool>(type: "bit", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeedDeviceModels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SeedDeviceOrders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ModelId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ModelName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    DeviceCount = table.Column<int>(type: "int", nullable: false),
                    BytesToLoad = table.Column<long>(type: "bigint", nullable: false),
                    Address = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Carrier = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    TrackingNumber = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ReturnCarrier = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    ReturnTrackingNumber = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: true),
                    Steps = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    ProtectedKey = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    VerifiedChunks = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeedDeviceOrders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeedDeviceOrders_MigrationPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MigrationPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SeedDeviceOrders_SeedDeviceModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "SeedDeviceModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SeedDeviceOrders_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MaintenanceWindows_PlanId",
                table: "MaintenanceWindows",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_MaintenanceWindows_Status_StartsAt",
                table: "MaintenanceWindows",
                columns: new[] { "Status", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MaintenanceWindows_TenantId",
                table: "MaintenanceWindows",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_SeedDeviceModels_Name",
                table: "SeedDeviceModels",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SeedDeviceOrders_ModelId",
                table: "SeedDeviceOrders",
                column: "ModelId");

            migrationBuilder.CreateIndex(
                name: "IX_SeedDeviceOrders_PlanId",
                table: "SeedDeviceOrders",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_SeedDeviceOrders_TenantId",
                table: "SeedDeviceOrders",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MaintenanceWindows");

            migrationBuilder.DropTable(
                name: "SeedDeviceOrders");

            migrationBuilder.DropTable(
                name: "SeedDeviceModels");
        }
    }
}

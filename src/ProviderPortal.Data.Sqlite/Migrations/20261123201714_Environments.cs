using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Environments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Environments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    TrustedThumbprint = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastTestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SyncIntervalMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    SyncState = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LastSyncStartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSyncFinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSyncSucceededAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSyncError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    VmCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Environments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Environments_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InventoryVms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnvironmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PowerState = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CpuCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CpuVendor = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    GuestOs = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ToolsState = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Cluster = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DiskCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CapacityBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    AllocatedBytes = table.Column<long>(type: "INTEGER", nullable: true),
                    ChangeTracking = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SnapshotCount = table.Column<int>(type: "INTEGER", nullable: false),
                    SyncedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Disks = table.Column<string>(type: "TEXT", nullable: true),
                    Nics = table.Column<string>(type: "TEXT", nullable: true),
                    Snapshots = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InventoryVms", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InventoryVms_Environments_EnvironmentId",
                        column: x => x.EnvironmentId,
                        principalTable: "Environments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Environments_TenantId_Name",
                table: "Environments",
                columns: new[] { "TenantId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InventoryVms_EnvironmentId_ExternalId",
                table: "InventoryVms",
                columns: new[] { "EnvironmentId", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InventoryVms_TenantId_EnvironmentId_Name",
                table: "InventoryVms",
                columns: new[] { "TenantId", "EnvironmentId", "Name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "InventoryVms");

            migrationBuilder.DropTable(
                name: "Environments");
        }
    }
}

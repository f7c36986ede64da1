using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Replication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CutoverEndedAt",
                table: "MigrationPlans",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CutoverStartedAt",
                table: "MigrationPlans",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CutoverStartedBy",
                table: "MigrationPlans",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "DestinationId",
                table: "MigrationPlans",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NetworkMappings",
                table: "MigrationPlans",
                type: "nvarchar(max)",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StartedAt",
                table: "MigrationPlans",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StatusReason",
                table: "MigrationPlans",
                type: "nvarchar(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DestinationSites",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Location = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    Networks = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Retired = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DestinationSites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "VmReplications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VmId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    VmName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    BootOrder = table.Column<int>(type: "int", nullable: false),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    PausedFrom = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: true),
                    Disks = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SnapshotId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    BaselineStartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    BaselineCompletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Cycles = table.Column<int>(type: "int", nullable: false),
                    LastCycleAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastCycleBytes = table.Column<long>(type: "bigint", nullable: false),
                    LastCycleSeconds = table.Column<double>(type: "float", nullable: false),
                    SourceStoppedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Downtime = table.Column<TimeSpan>(type: "time", nullable: true),
                    StartedAtDestinationAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VmReplications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VmReplications_MigrationPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MigrationPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkerTokens",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Hash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Hint = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    IsLocal = table.Column<bool>(type: "bit", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CreatedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastUsedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerTokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkerTokens_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReplicationTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PlanId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VmReplicationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    VmId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    WorkerSessionId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    SnapshotId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SnapshotChangeIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    PreviousSnapshotId = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Disks = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    QueuedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReplicationTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReplicationTasks_MigrationPlans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "MigrationPlans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReplicationTasks_VmReplications_VmReplicationId",
                        column: x => x.VmReplicationId,
                        principalTable: "VmReplications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WorkerSessions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TokenId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ConnectionId = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Node = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    WorkerName = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Version = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Slots = table.Column<int>(type: "int", nullable: false),
                    IsLocal = table.Column<bool>(type: "bit", nullable: false),
                    ProcessId = table.Column<int>(type: "int", nullable: true),
                    ConnectedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LastSeenAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    DisconnectedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkerSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkerSessions_WorkerTokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "WorkerTokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MigrationPlans_DestinationId",
                table: "MigrationPlans",
                column: "DestinationId");

            migrationBuilder.CreateIndex(
                name: "IX_DestinationSites_Name",
                table: "DestinationSites",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReplicationTasks_PlanId",
                table: "ReplicationTasks",
                column: "PlanId");

            migrationBuilder.CreateIndex(
                name: "IX_ReplicationTasks_State_QueuedAt",
                table: "ReplicationTasks",
                columns: new[] { "State", "QueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReplicationTasks_TenantId_PlanId",
                table: "ReplicationTasks",
                columns: new[] { "TenantId", "PlanId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReplicationTasks_VmReplicationId",
                table: "ReplicationTasks",
                column: "VmReplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_ReplicationTasks_WorkerSessionId",
                table: "ReplicationTasks",
                column: "WorkerSessionId");

            migrationBuilder.CreateIndex(
                name: "IX_VmReplications_PlanId_VmId",
                table: "VmReplications",
                columns: new[] { "PlanId", "VmId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_VmReplications_TenantId",
                table: "VmReplications",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkerSessions_ConnectionId",
                table: "WorkerSessions",
                column: "ConnectionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkerSessions_TenantId_DisconnectedAt",
                table: "WorkerSessions",
                columns: new[] { "TenantId", "DisconnectedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkerSessions_TokenId",
                table: "WorkerSessions",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkerTokens_Hash",
                table: "WorkerTokens",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkerTokens_TenantId",
                table: "WorkerTokens",
                column: "TenantId");

            migrationBuilder.AddForeignKey(
                name: "FK_MigrationPlans_DestinationSites_DestinationId",
                table: "MigrationPlans",
                column: "DestinationId",
                principalTable: "DestinationSites",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_MigrationPlans_DestinationSites_DestinationId",
                table: "MigrationPlans");

            migrationBuilder.DropTable(
                name: "DestinationSites");

            migrationBuilder.DropTable(
                name: "ReplicationTasks");

            migrationBuilder.DropTable(
                name: "WorkerSessions");

            migrationBuilder.DropTable(
                name: "VmReplications");

            migrationBuilder.DropTable(
                name: "WorkerTokens");

            migrationBuilder.DropIndex(
                name: "IX_MigrationPlans_DestinationId",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "CutoverEndedAt",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "CutoverStartedAt",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "CutoverStartedBy",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "DestinationId",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "NetworkMappings",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "StartedAt",
                table: "MigrationPlans");

            migrationBuilder.DropColumn(
                name: "StatusReason",
                table: "MigrationPlans");
        }
    }
}

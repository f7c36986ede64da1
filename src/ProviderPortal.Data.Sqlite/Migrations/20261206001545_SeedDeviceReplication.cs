using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SeedDeviceReplication : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SeedChangeIds",
                table: "VmReplications",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<long>(
                name: "SeedLoadedAt",
                table: "VmReplications",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SeedSnapshotId",
                table: "VmReplications",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SeedChunks",
                table: "ReplicationTasks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "SeedFolders",
                table: "ReplicationTasks",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<Guid>(
                name: "SeedOrderId",
                table: "ReplicationTasks",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SeedChangeIds",
                table: "VmReplications");

            migrationBuilder.DropColumn(
                name: "SeedLoadedAt",
                table: "VmReplications");

            migrationBuilder.DropColumn(
                name: "SeedSnapshotId",
                table: "VmReplications");

            migrationBuilder.DropColumn(
                name: "SeedChunks",
                table: "ReplicationTasks");

            migrationBuilder.DropColumn(
                name: "SeedFolders",
                table: "ReplicationTasks");

            migrationBuilder.DropColumn(
                name: "SeedOrderId",
                table: "ReplicationTasks");
        }
    }
}

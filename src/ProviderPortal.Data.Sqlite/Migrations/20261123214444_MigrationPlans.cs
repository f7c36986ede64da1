using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MigrationPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MigrationPlans",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnvironmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Vms = table.Column<string>(type: "TEXT", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StartOnDestination = table.Column<bool>(type: "INTEGER", nullable: false),
                    RemoveSourceAfterSuccess = table.Column<bool>(type: "INTEGER", nullable: false),
                    SyncIntervalMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    ThrottleMbps = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ForecastInitialCopy = table.Column<TimeSpan>(type: "TEXT", nullable: true),
                    ForecastDowntime = table.Column<TimeSpan>(type: "TEXT", nullable: true),
                    ForecastWindow = table.Column<TimeSpan>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MigrationPlans", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MigrationPlans_Environments_EnvironmentId",
                        column: x => x.EnvironmentId,
                        principalTable: "Environments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MigrationPlans_EnvironmentId",
                table: "MigrationPlans",
                column: "EnvironmentId");

            migrationBuilder.CreateIndex(
                name: "IX_MigrationPlans_TenantId_Name",
                table: "MigrationPlans",
                columns: new[] { "TenantId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MigrationPlans");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.SqlServer.Migrations
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EnvironmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Vms = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Method = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    StartOnDestination = table.Column<bool>(type: "bit", nullable: false),
                    RemoveSourceAfterSuccess = table.Column<bool>(type: "bit", nullable: false),
                    SyncIntervalMinutes = table.Column<int>(type: "int", nullable: false),
                    ThrottleMbps = table.Column<int>(type: "int", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    ForecastInitialCopy = table.Column<TimeSpan>(type: "time", nullable: true),
                    ForecastDowntime = table.Column<TimeSpan>(type: "time", nullable: true),
                    ForecastWindow = table.Column<TimeSpan>(type: "time", nullable: true)
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

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Assessments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Assessments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EnvironmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SampleIntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    SamplesTaken = table.Column<int>(type: "INTEGER", nullable: false),
                    LastSampleAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Vms = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assessments_Environments_EnvironmentId",
                        column: x => x.EnvironmentId,
                        principalTable: "Environments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ChangeSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    VmId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DiskKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    IntervalSeconds = table.Column<double>(type: "REAL", nullable: false),
                    ChangedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    AllocatedBytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChangeSamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChangeSamples_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LinkSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ThroughputBytesPerSecond = table.Column<double>(type: "REAL", nullable: true),
                    LatencyMilliseconds = table.Column<double>(type: "REAL", nullable: true),
                    LossRatio = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LinkSamples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LinkSamples_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_EnvironmentId",
                table: "Assessments",
                column: "EnvironmentId");

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_Status_EndsAt",
                table: "Assessments",
                columns: new[] { "Status", "EndsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_TenantId_Status",
                table: "Assessments",
                columns: new[] { "TenantId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ChangeSamples_AssessmentId_At",
                table: "ChangeSamples",
                columns: new[] { "AssessmentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_LinkSamples_AssessmentId_At",
                table: "LinkSamples",
                columns: new[] { "AssessmentId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChangeSamples");

            migrationBuilder.DropTable(
                name: "LinkSamples");

            migrationBuilder.DropTable(
                name: "Assessments");
        }
    }
}

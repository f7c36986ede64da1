using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProviderPortal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EnvironmentAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HypervisorEndpoint",
                table: "Environments",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HypervisorThumbprint",
                table: "Environments",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "HypervisorUserName",
                table: "Environments",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NbdUriTemplate",
                table: "Environments",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedHypervisorSecret",
                table: "Environments",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HypervisorEndpoint",
                table: "Environments");

            migrationBuilder.DropColumn(
                name: "HypervisorThumbprint",
                table: "Environments");

            migrationBuilder.DropColumn(
                name: "HypervisorUserName",
                table: "Environments");

            migrationBuilder.DropColumn(
                name: "NbdUriTemplate",
                table: "Environments");

            migrationBuilder.DropColumn(
                name: "ProtectedHypervisorSecret",
                table: "Environments");
        }
    }
}

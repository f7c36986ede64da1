using MudBlazor.Services;
using ProviderPortal.Web.Components;
using ProviderPortal.Web.Components.Account;
using ProviderPortal.Web.Features;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Migration;
using ProviderPortal.Web.Features.Progress;
using ProviderPortal.Web.Infrastructure;
using ProviderPortal.Web.Infrastructure.Data;
using ProviderPortal.Web.Infrastructure.Errors;
using ProviderPortal.Web.Infrastructure.Health;
using ProviderPortal.Web.Infrastructure.Identity;
using ProviderPortal.Web.Infrastructure.Jobs;
using ProviderPortal.Web.Infrastructure.Tenancy;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalSettings();
builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddHttpContextAccessor();
builder.Services.AddPortalTenancy();
var database = DatabaseSettings.From(builder.Configuration);
builder.Services.AddPortalData(database);
builder.Services.AddPortalIdentity(builder.Configuration);
builder.Services.AddPortalJobs(builder.Configuration, database);
builder.Services.AddPortalFeatures(builder.Configuration);
builder.Services.AddPortalProgress(builder.Configuration);
builder.Services.AddPortalHealth(builder.Configuration);

var app = builder.Build();

app.UsePortalErrorPages();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseAuthentication();
app.UsePortalTenancy();
app.UseAuthorization();
app.UseAntiforgery();
app.UseAntiforgeryRefusal();

app.MapStaticAssets();
app.MapPortalHealth();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAdditionalIdentityEndpoints();
app.MapAssessmentEndpoints();
app.MapPortalMigration();
app.MapPortalProgress();

app.Run();

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;

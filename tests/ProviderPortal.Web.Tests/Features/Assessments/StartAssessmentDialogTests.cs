using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using ProviderPortal.Data;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;
using static ProviderPortal.Web.Tests.Infrastructure.DialogTesting;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>The start dialog over the real services and a synced lab, as the tenant's member: a period is refused in words, whatever is typed.</summary>
public sealed class StartAssessmentDialogTests : PortalServicesContext, IClassFixture<LabTenant>
{
    private readonly LabTenant _lab;

    public StartAssessmentDialogTests(LabTenant lab)
    {
        _lab = lab;
        UseServicesAs(lab.Factory, TestUsers.MemberOf(lab.Tenant), typeof(AssessmentService), typeof(EnvironmentService), typeof(InventoryService));
    }

    private async Task<IRenderedComponent<IComponent>> ShowAsync()
    {
        return await this.ShowDialogAsync("Start an assessment", new DialogParameters<StartAssessmentDialog> { { d => d.EnvironmentId, _lab.EnvironmentId } }, "assessment-start");
    }

    private Task<int> CountAsync(string name) =>
        _lab.Factory.AsSystemAsync(s => s.GetRequiredService<PortalDbContext>().Assessments.CountAsync(a => a.Name == name));

    [Fact]
    public async Task Start_PeriodOfMoreHoursThanAnyTimeHolds_RefusedNamingTheRange_TheDialogGoesOn()
    {
        var dialog = await ShowAsync();
        InputOf(dialog.Find("[data-testid=assessment-name]")).Change("Period overflow");

        InputOf(dialog.Find("[data-testid=assessment-period]")).Change("999999999");
        dialog.Find("[data-testid=assessment-start]").Click();

        dialog.WaitForAssertion(() => Assert.Contains("The observation period must be between 2 minutes and 30 days.", FieldText(dialog, "assessment-period")));
        Assert.Equal(0, await CountAsync("Period overflow"));

        // The dialog still answers: a period in the range is taken further (to the interval's own rule).
        InputOf(dialog.Find("[data-testid=assessment-period]")).Change("-5");
        dialog.Find("[data-testid=assessment-start]").Click();
        dialog.WaitForAssertion(() => Assert.Equal("-5", InputOf(dialog.Find("[data-testid=assessment-period]")).GetAttribute("value")));
        Assert.Contains("The observation period must be between 2 minutes and 30 days.", FieldText(dialog, "assessment-period"));
        Assert.Equal(0, await CountAsync("Period overflow"));
    }

    [Fact]
    public async Task Start_PeriodThatIsNoWholeNumber_SaysSoAndCannotStart()
    {
        var dialog = await ShowAsync();

        InputOf(dialog.Find("[data-testid=assessment-period]")).Change("1.5");

        dialog.WaitForAssertion(() => Assert.True(dialog.Find("[data-testid=assessment-start]").HasAttribute("disabled")));
        Assert.Contains("Enter a whole number, in digits only.", FieldText(dialog, "assessment-period"));
    }
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProviderPortal.Connectors.Lab;
using ProviderPortal.Data;
using ProviderPortal.Data.Tenancy;
using ProviderPortal.Domain.Assessments;
using ProviderPortal.Web.Features.Assessments;
using ProviderPortal.Web.Features.Environments;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Features.Assessments;

/// <summary>From samples to a forecast and its CSV: the observed rates are what was written, and only the tenant's users get the file.</summary>
public sealed class AssessmentReportTests(LabTenant fixture) : IClassFixture<LabTenant>
{
    private Task<T> AsTenantAsync<T>(Func<IServiceProvider, Task<T>> work) => fixture.AsTenantAsync(work);

    private Task SampleAsync(Guid assessmentId) => fixture.SampleAsync(assessmentId);

    private async Task<(Guid Id, string VmName, long Written)> ObservedAssessmentAsync(string name)
    {
        var lab = await LabEnvironment.OpenOrCreateAsync(fixture.LabRoot);
        var vm = (await lab.GetVmsAsync(CancellationToken.None)).First(v => v.Name == "lab-db-01");
        var id = await AsTenantAsync(async services =>
        {
            var assessment = Assessment.Start(fixture.EnvironmentId, name, [new AssessmentVm(vm.Id, vm.Name)], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);
            var db = services.GetRequiredService<PortalDbContext>();
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync();
            return assessment.Id;
        });
        await SampleAsync(id);
        var data = new byte[LabEnvironment.BlockSize];
        for (var i = 0; i < 16; i++)
        {
            await lab.WriteAsync(vm.Id, vm.Disks[0].Key, i * 3L * LabEnvironment.BlockSize, data, CancellationToken.None);
        }

        await SampleAsync(id);
        return (id, vm.Name, 16L * LabEnvironment.BlockSize);
    }

    [Fact]
    public async Task BuildAsync_TwoRounds_ForecastFromTheObservedRate()
    {
        var (id, vmName, written) = await ObservedAssessmentAsync("Report");

        var report = (await AsTenantAsync(s => s.GetRequiredService<AssessmentReportService>().BuildAsync(id)))!;

        var vm = Assert.Single(report.Vms);
        Assert.Equal(vmName, vm.Name);
        Assert.Equal(1, vm.Rounds);
        var samples = await AsTenantAsync(s => s.GetRequiredService<PortalDbContext>().ChangeSamples.Where(c => c.AssessmentId == id).ToListAsync());
        Assert.Equal(written, samples.Sum(c => c.ChangedBytes));
        Assert.Equal(written / samples.Max(c => c.IntervalSeconds), vm.MeanBytesPerSecond, 6);
        Assert.NotNull(report.Forecast);
        Assert.Equal(vm.AllocatedBytes, report.Forecast!.TotalAllocatedBytes);
        Assert.NotNull(report.MeasuredBytesPerSecond);
        Assert.Single(report.ChangeRate);
    }

    [Fact]
    public async Task BuildAsync_OnlyTheBaselineYet_SaysWhenTheForecastComes()
    {
        var id = await AsTenantAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var assessment = Assessment.Start(fixture.EnvironmentId, "Baseline only", [new AssessmentVm("vm-x", "x")], TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow);
            db.Assessments.Add(assessment);
            await db.SaveChangesAsync();
            return assessment.Id;
        });

        var report = (await AsTenantAsync(s => s.GetRequiredService<AssessmentReportService>().BuildAsync(id)))!;

        Assert.Null(report.Forecast);
        Assert.Contains("after the second sample", report.ForecastUnavailable);
    }

    [Fact]
    public async Task ReportCsv_TenantUser_GetsTheRowsAndAnotherTenantGetsNotFound()
    {
        var (id, vmName, _) = await ObservedAssessmentAsync("CSV, \"quoted\"");
        var other = await fixture.Factory.CreateTenantAsync("assess-other");

        var own = await (await fixture.Factory.SignInAsync(fixture.Tenant.Member.Email!)).GetAsync($"/assessments/{id}/report.csv");
        var foreign = await (await fixture.Factory.SignInAsync(other.Admin.Email!)).GetAsync($"/assessments/{id}/report.csv");
        var anonymous = await fixture.Factory.CreateBrowser().GetAsync($"/assessments/{id}/report.csv");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("text/csv", own.Content.Headers.ContentType!.MediaType);
        var lines = (await own.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("vm_id,vm_name,allocated_bytes", lines[0]);
        Assert.Contains(vmName, lines[1]);
        Assert.Equal(2, lines.Length);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain(vmName, await foreign.Content.ReadAsStringAsync());
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public void Csv_NameStartingLikeAFormula_Defused()
    {
        var report = new AssessmentReport
        {
            Assessment = new AssessmentRow(Guid.NewGuid(), "a", Guid.NewGuid(), "e", AssessmentStatus.Completed, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null, 1, 2, 2, null),
            IsLab = true,
            Vms = [new ObservedVm("vm-1", "=HYPERLINK(\"x\")", 10, 1, 2, 1, null)],
            ChangeRate = [],
            AvailableBandwidth = [],
            TenantCapBytesPerSecond = 1,
        };

        var line = AssessmentCsv.Write(report).Split("\r\n")[1];

        Assert.StartsWith("vm-1,\"'=HYPERLINK(\"\"x\"\")\"", line);
    }

    [Fact]
    public async Task BuildAsync_InventoryShowsIndependentAndRawMappedDisks_BlockersInTheReadiness()
    {
        // As a vCenter reports them (diskMode independent_*, a RawDiskMappingVer1 backing): the lab has none, so the
        // inventory is told so, the way a sync from vCenter would store it.
        await AsTenantAsync(async services =>
        {
            var db = services.GetRequiredService<PortalDbContext>();
            var environment = await db.Environments.SingleAsync(e => e.Id == fixture.EnvironmentId);
            await using var connector = services.GetRequiredService<EnvironmentConnections>().Create(environment);
            var vms = (await connector.GetInventoryAsync(CancellationToken.None))
                .Select(v => v.Name == "lab-db-01" ? v with { Disks = [v.Disks[0] with { Independent = true }, v.Disks[1] with { RawMapped = true }] } : v)
                .ToList();
            return await services.GetRequiredService<InventorySync>().ApplyAsync(environment, vms, CancellationToken.None);
        });
        var (id, _, _) = await ObservedAssessmentAsync("Blocked disks");

        var report = (await AsTenantAsync(s => s.GetRequiredService<AssessmentReportService>().BuildAsync(id)))!;

        var issues = report.Forecast!.Vms.Single().Warnings.Where(w => w.Severity == WarningSeverity.Blocker).Select(w => w.Issue).ToList();
        Assert.Contains(ReadinessIssue.IndependentDisks, issues);
        Assert.Contains(ReadinessIssue.RawMappedDisks, issues);
    }
}

using System.Globalization;
using System.Text;
using ProviderPortal.Domain.Assessments;

namespace ProviderPortal.Web.Features.Assessments;

/// <summary>The report's per-VM table as CSV (RFC 4180; invariant numbers; bytes and seconds, not rounded units).</summary>
public static class AssessmentCsv
{
    private static readonly string[] Header =
    [
        "vm_id", "vm_name", "allocated_bytes", "mean_change_bytes_per_s", "peak_change_bytes_per_s", "rounds",
        "change_ratio", "convergent", "baseline_seconds", "delta_cycles", "final_delta_bytes", "cutover_downtime_seconds", "warnings",
    ];

    public static string Write(AssessmentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var vm in report.Vms)
        {
            var forecast = report.Forecast?.Vms.FirstOrDefault(f => f.VmId == vm.VmId);
            Line(csv,
            [
                vm.VmId, vm.Name, Number(vm.AllocatedBytes), Number(vm.MeanBytesPerSecond), Number(vm.PeakBytesPerSecond), Number(vm.Rounds),
                forecast is null ? "" : Number(forecast.ChangeRatio),
                forecast is null ? "" : forecast.Convergent ? "yes" : "no",
                forecast is null ? "" : Number(forecast.NetworkCopyDuration.TotalSeconds),
                forecast is null ? "" : Number(forecast.DeltaCycles),
                forecast is null ? "" : Number(forecast.FinalDeltaBytes),
                forecast is null ? "" : Number(forecast.CutoverDowntime.TotalSeconds),
                forecast is null ? "" : string.Join(" | ", forecast.Warnings.Select(w => w.Message).Append(forecast.NotConvergentReason ?? "").Where(m => m.Length > 0)),
            ]);
        }

        return csv.ToString();
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
    }

    // Quotes when needed, and defuses spreadsheet formulas in names that come from the customer's platform.
    private static string Quote(string field)
    {
        var safe = field.Length > 0 && "=+-@".Contains(field[0], StringComparison.Ordinal) && !double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + field
            : field;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}

namespace ProviderPortal.Domain.Plans;

/// <summary>
/// What a user chooses for a migration plan. The source-safety options are off unless asked for: the destination does
/// not start by itself, and the source is never removed.
/// </summary>
public sealed record PlanDetails(
    string Name,
    IReadOnlyList<PlanVm> Vms,
    PlanMethod Method,
    bool StartOnDestination,
    bool RemoveSourceAfterSuccess,
    int SyncIntervalMinutes,
    int? ThrottleMbps)
{
    public const int MaxNameLength = 100;

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors[nameof(Name)] = "Enter a name for the plan.";
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors[nameof(Name)] = $"The name can be at most {MaxNameLength} characters.";
        }

        if (Vms.Count == 0)
        {
            errors[nameof(Vms)] = "A plan needs at least one VM.";
        }
        else if (Vms.Select(v => v.VmId).Distinct(StringComparer.Ordinal).Count() != Vms.Count)
        {
            errors[nameof(Vms)] = "A VM can be in a plan only once.";
        }
        else if (Vms.Any(v => v.BootOrder < 1))
        {
            errors[nameof(Vms)] = "Boot order positions start at 1.";
        }

        if (!Enum.IsDefined(Method))
        {
            errors[nameof(Method)] = "Choose network or seed device.";
        }

        if (SyncIntervalMinutes is < 5 or > 24 * 60)
        {
            errors[nameof(SyncIntervalMinutes)] = "The delta cycle interval must be between 5 minutes and 24 hours.";
        }

        if (ThrottleMbps is < 1)
        {
            errors[nameof(ThrottleMbps)] = "A throttle must be at least 1 Mbit/s, or empty for none.";
        }

        return errors;
    }
}

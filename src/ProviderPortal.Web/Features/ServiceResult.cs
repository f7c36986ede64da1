namespace ProviderPortal.Web.Features;

/// <summary>The outcome of a user action: success, or errors in plain words keyed by field ("" for the form).</summary>
public sealed record ServiceResult(IReadOnlyDictionary<string, string> Errors)
{
    public static ServiceResult Ok { get; } = new(new Dictionary<string, string>());

    public bool Succeeded => Errors.Count == 0;

    public string Message => string.Join(" ", Errors.Values);

    public static ServiceResult Fail(string message, string field = "") => new(new Dictionary<string, string> { [field] = message });

    public static ServiceResult Fail(IReadOnlyDictionary<string, string> errors) => new(errors);
}

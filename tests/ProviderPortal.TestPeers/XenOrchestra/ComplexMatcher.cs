using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ProviderPortal.TestPeers.XenOrchestra;

/// <summary>
/// The part of XO's complex-matcher filters the tests need: space-separated <c>property:value</c> terms, all of
/// which must match; a string value is a case-insensitive substring match (so filters are not exact), a quoted
/// value may hold spaces, <c>/re/</c> is a regex; arrays match when an element does.
/// </summary>
public static class ComplexMatcher
{
    private static readonly Regex Term = new("""\G\s*(?<key>[A-Za-z0-9_$.]+):(?:"(?<quoted>[^"]*)"|/(?<regex>[^/]*)/|(?<raw>[^\s"/()]+))\s*""", RegexOptions.CultureInvariant);

    public static bool TryParse(string filter, out Func<JsonObject, bool>? matcher)
    {
        var terms = new List<Func<JsonObject, bool>>();
        var at = 0;
        while (at < filter.Length)
        {
            var match = Term.Match(filter, at);
            if (!match.Success || match.Length == 0)
            {
                matcher = null;
                return false;
            }

            at += match.Length;
            var key = match.Groups["key"].Value;
            Func<string, bool> test;
            if (match.Groups["regex"].Success)
            {
                var regex = new Regex(match.Groups["regex"].Value, RegexOptions.CultureInvariant);
                test = regex.IsMatch;
            }
            else
            {
                var value = match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["raw"].Value;
                test = s => s.Contains(value, StringComparison.OrdinalIgnoreCase);
            }

            terms.Add(o => o[key] is { } node && Matches(node, test));
        }

        matcher = o => terms.All(t => t(o));
        return true;
    }

    private static bool Matches(JsonNode node, Func<string, bool> test) => node switch
    {
        JsonArray array => array.Any(n => n is not null && Matches(n, test)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => test(value.GetValue<string>()),
        JsonValue value => test(value.ToJsonString()),
        _ => false,
    };
}

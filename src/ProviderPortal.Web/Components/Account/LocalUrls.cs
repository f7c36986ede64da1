namespace ProviderPortal.Web.Components.Account;

/// <summary>
/// Decides whether a return URL may be followed after signing in or out: only a path inside the portal is. Anything a
/// browser could read as another site or a script ("https://host", "//host", "/\host", "https:host", "javascript:",
/// "\\host", or those behind a tab or a space, which browsers strip) is not; the caller then goes to the home page.
/// </summary>
internal static class LocalUrls
{
    /// <summary>"/plans", "/plans?view=all" and "Account/Login" are local; a URL with a scheme or an authority is not.</summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(c => c == '\\' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        if (url[0] == '/')
        {
            return url.Length == 1 || url[1] != '/';
        }

        // Without a leading slash, a colon before the path would make it a scheme ("javascript:", "https:host").
        var pathEnd = url.IndexOfAny(['/', '?', '#']);
        return !(pathEnd < 0 ? url : url[..pathEnd]).Contains(':', StringComparison.Ordinal);
    }

    /// <summary>A local path that starts at the root ("/plans"), as a redirect that must not depend on the current page needs.</summary>
    public static bool IsLocalPath(string? url) => IsLocal(url) && url![0] == '/';
}

using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ProviderPortal.Web.Components.Account;

/// <summary>The code carried by an emailed link; a mangled link must give an error message, not an exception.</summary>
internal static class IdentityLinkCode
{
    public static bool TryDecode(string code, out string decoded)
    {
        try
        {
            decoded = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
            return true;
        }
        catch (FormatException)
        {
            decoded = "";
            return false;
        }
    }
}

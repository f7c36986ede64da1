using MudBlazor;

namespace ProviderPortal.Web.Components.Layout;

public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f5fa8", Secondary = "#00897b", AppbarBackground = "#1f5fa8" },
        PaletteDark = new PaletteDark { Primary = "#6ea8ff", Secondary = "#4db6ac" },
    };
}

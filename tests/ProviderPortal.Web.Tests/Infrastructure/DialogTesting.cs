using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace ProviderPortal.Web.Tests.Infrastructure;

/// <summary>A dialog shown as a page shows it (inside MudBlazor's popover and dialog providers), and its fields as a user reads them.</summary>
public static class DialogTesting
{
    /// <summary>Shows <typeparamref name="TDialog"/> and waits until the element <paramref name="readyTestId"/> is rendered.</summary>
    public static async Task<IRenderedComponent<IComponent>> ShowDialogAsync<TDialog>(this BunitContext context, string title, DialogParameters<TDialog>? parameters, string readyTestId)
        where TDialog : IComponent
    {
        var providers = context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
        });
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        await providers.InvokeAsync(() => parameters is null ? dialogs.ShowAsync<TDialog>(title) : dialogs.ShowAsync<TDialog>(title, parameters));
        providers.WaitForElement($"[data-testid={readyTestId}]");
        return providers;
    }

    /// <summary>The input a test id names: the element itself, or the input inside a MudBlazor field.</summary>
    public static IElement InputOf(IElement element) =>
        element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea") ?? throw new InvalidOperationException(element.OuterHtml);

    /// <summary>What a field shows around its input: label, value, and its message.</summary>
    public static string FieldText(IRenderedComponent<IComponent> dialog, string testId) =>
        InputOf(dialog.Find($"[data-testid={testId}]")).Closest(".mud-input-control")!.TextContent;
}

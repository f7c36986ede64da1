using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace ProviderPortal.Web.Components.Charts;

/// <summary>
/// Draws <see cref="Spec"/> after the first render, updates the same chart in place when the spec changes (live data
/// does not re-create it), and destroys it on dispose. Only data crosses to the script; formatting is chosen by unit.
/// </summary>
public sealed partial class ApexChart : ComponentBase, IAsyncDisposable
{
    internal const string ModulePath = "./Components/Charts/ApexChart.razor.js";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _chart;
    private string? _drawn;
    private bool _failed;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private ILogger<ApexChart> Logger { get; set; } = default!;

    [Parameter, EditorRequired] public ChartSpec Spec { get; set; } = new();

    [Parameter] public string? TestId { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        var spec = JsonSerializer.Serialize(Spec, Json);
        if (spec == _drawn)
        {
            return;
        }

        _drawn = spec;
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            if (_chart is null)
            {
                _chart = await _module.InvokeAsync<IJSObjectReference>("create", _element, spec);
            }
            else
            {
                await _module.InvokeVoidAsync("update", _chart, spec);
            }
        }
        catch (JSException ex)
        {
            // A chart that fails must not take the page (and its circuit) down with it.
            Logger.LogWarning("A chart could not be drawn: {Message}", ex.Message);
            _failed = true;
            StateHasChanged();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_chart is not null && _module is not null)
            {
                await _module.InvokeVoidAsync("destroy", _chart);
                await _chart.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone, and the chart with it.
        }
    }
}

using Bunit;
using Microsoft.AspNetCore.Components;
using ProviderPortal.Web.Components.Shared;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Shared;

/// <summary>The number field as forms bind it: what is typed is read exactly or refused, and a value set from outside replaces it.</summary>
public sealed class NumberFieldTests : BunitContext
{
    private int? _value = 50;
    private bool _invalid;

    public NumberFieldTests() => this.AddPortalComponents();

    private IRenderedComponent<NumberField<int>> Render(bool optional = true) => Render<NumberField<int>>(p => p
        .Add(f => f.Value, _value)
        .Add(f => f.ValueChanged, EventCallback.Factory.Create<int?>(this, v => _value = v))
        .Add(f => f.Invalid, _invalid)
        .Add(f => f.InvalidChanged, EventCallback.Factory.Create<bool>(this, v => _invalid = v))
        .Add(f => f.Optional, optional)
        .Add(f => f.Label, "Throttle"));

    [Theory]
    [InlineData("-5", -5)]
    [InlineData(" 250 ", 250)]
    [InlineData("", null)]
    public void Type_AWholeNumberOrNothing_TakenAsTyped(string typed, int? expected)
    {
        var field = Render();

        field.Find("input").Change(typed);

        Assert.Equal(expected, _value);
        Assert.False(_invalid);
    }

    [Theory]
    [InlineData("2,5", "Enter a whole number, in digits only.")]
    [InlineData("abc", "Enter a whole number, in digits only.")]
    [InlineData("99999999999", "That number is too large.")]
    public void Type_NoWholeNumber_SaysSoAndKeepsTheValue(string typed, string message)
    {
        var field = Render();

        field.Find("input").Change(typed);

        Assert.Equal(50, _value);
        Assert.True(_invalid);
        Assert.Contains(message, field.Markup);
    }

    [Fact]
    public void Type_NothingWhereANumberIsRequired_SaysSo()
    {
        var field = Render(optional: false);

        field.Find("input").Change("");

        Assert.True(_invalid);
        Assert.Contains("Enter a number.", field.Markup);
    }

    [Fact]
    public void ValueSetFromOutside_AfterUnreadableText_ReplacesTheTextAndIsValidAgain()
    {
        var field = Render();
        field.Find("input").Change("abc");
        Assert.True(_invalid);

        // Another user set the throttle meanwhile; the page reloads it into the field.
        field.Render(p => p.Add(f => f.Value, 80).Add(f => f.Invalid, _invalid));

        Assert.Equal("80", field.Find("input").GetAttribute("value"));
        Assert.False(_invalid);
        Assert.DoesNotContain("Enter a whole number", field.Markup);
    }
}

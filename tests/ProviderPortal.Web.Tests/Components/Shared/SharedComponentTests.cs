using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ProviderPortal.Web.Components.Shared;
using ProviderPortal.Web.Tests.Infrastructure;

namespace ProviderPortal.Web.Tests.Components.Shared;

public sealed class SharedComponentTests : BunitContext
{
    public SharedComponentTests() => this.AddPortalComponents();

    [Fact]
    public void EmptyState_WithActionCallback_RendersTextAndInvokesAction()
    {
        var clicked = 0;
        var state = Render<EmptyState>(p => p
            .Add(c => c.Icon, Icons.Material.Filled.Inbox)
            .Add(c => c.Title, "No environments yet")
            .Add(c => c.Text, "Create one to start protecting machines.")
            .Add(c => c.ActionText, "Create an environment")
            .Add(c => c.OnAction, EventCallback.Factory.Create(this, () => clicked++)));

        Assert.Contains("No environments yet", state.Markup);
        Assert.Contains("Create one to start protecting machines.", state.Markup);
        var button = state.Find("[data-testid=empty-state] button");
        Assert.Equal("Create an environment", button.TextContent.Trim());
        button.Click();
        Assert.Equal(1, clicked);
    }

    [Fact]
    public void EmptyState_WithActionHref_RendersLink()
    {
        var state = Render<EmptyState>(p => p
            .Add(c => c.Icon, Icons.Material.Filled.Inbox)
            .Add(c => c.Title, "No members")
            .Add(c => c.Text, "Invite someone.")
            .Add(c => c.ActionText, "Invite")
            .Add(c => c.ActionHref, "tenant/members/invite"));

        var link = state.Find("[data-testid=empty-state] a");
        Assert.Equal("tenant/members/invite", link.GetAttribute("href"));
        Assert.Equal("Invite", link.TextContent.Trim());
    }

    [Fact]
    public void EmptyState_WithoutAction_RendersNoButton()
    {
        var state = Render<EmptyState>(p => p
            .Add(c => c.Icon, Icons.Material.Filled.Inbox)
            .Add(c => c.Title, "Nothing here")
            .Add(c => c.Text, "Really nothing."));

        Assert.Empty(state.FindAll("button, a"));
    }

    [Fact]
    public void SummaryCard_TitleAndValue_RendersBoth()
    {
        var card = Render<SummaryCard>(p => p.Add(c => c.Title, "Protected VMs").Add(c => c.Value, "42"));

        Assert.Equal("Protected VMs", card.Find(".mud-paper p, .mud-paper .mud-typography-subtitle2").TextContent.Trim());
        Assert.Contains("42", card.Find(".mud-typography-h4").TextContent);
    }
}

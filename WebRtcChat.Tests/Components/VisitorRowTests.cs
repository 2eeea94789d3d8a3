using Bunit;
using WebRtcChat.Components.Consoles;
using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Tests.Components;

public sealed class VisitorRowTests : BunitContext
{
    private static readonly DateTimeOffset Arrived = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly List<(string Action, Visitor Visitor)> _clicks = [];

    private static Visitor Bob(VisitorStatus status = VisitorStatus.Waiting, string? host = "alice") =>
        new("v1", "Bob", host ?? "someone", host, "192.0.2.7", "Germany", "Berlin", "Firefox 128 on Linux", Arrived, status, null);

    private readonly List<string> _drafts = [];

    private IRenderedComponent<VisitorRow> RenderRow(Visitor visitor, bool hostIsFree = true, bool permitted = true, string? said = null) =>
        Render<VisitorRow>(p => p
            .Add(r => r.Visitor, visitor)
            .Add(r => r.Permitted, permitted)
            .Add(r => r.Now, Arrived.AddMinutes(3).AddSeconds(7))
            .Add(r => r.HostIsFree, hostIsFree)
            .Add(r => r.OnCall, v => _clicks.Add(("call", v)))
            .Add(r => r.OnDismiss, v => _clicks.Add(("dismiss", v)))
            .Add(r => r.OnSendNote, v => _clicks.Add(("post", v)))
            .Add(r => r.DraftChanged, text => _drafts.Add(text))
            .Add(r => r.Said, said));

    [Fact]
    public void WhatTheHostTypesIsTheirDraftAndPostRaisesIt()
    {
        var row = RenderRow(Bob());

        row.Find("input[aria-label='Note for Bob']").Change("Back in 5 minutes");
        row.Find("form").Submit();

        Assert.Equal(["Back in 5 minutes"], _drafts);
        Assert.Equal(["post"], _clicks.Select(c => c.Action));
        Assert.Equal("Post note for Bob", row.Find("button.post").GetAttribute("aria-label"));
    }

    [Fact]
    public void TheLastNotePostedIsShownAsTextNotMarkup()
    {
        var row = RenderRow(Bob(), said: "<i>Back</i> soon");

        Assert.Equal("Posted: <i>Back</i> soon", row.Find(".said").TextContent);
        Assert.Empty(row.FindAll(".said i"));
    }

    [Fact]
    public void AWaitingPermittedVisitorShowsEveryColumnAndCanBeCalled()
    {
        var row = RenderRow(Bob());

        Assert.Equal("Bob", row.Find(".name").TextContent.Trim());
        Assert.Equal("192.0.2.7", row.Find(".address").TextContent);
        Assert.Equal("Berlin, Germany", row.Find(".location").TextContent);
        Assert.Equal("3:07", row.Find(".waited").TextContent);
        Assert.Equal("Firefox 128 on Linux", row.Find(".browser").TextContent);
        Assert.Equal("Waiting", row.Find(".status").TextContent);
        row.Find("button.call").Click();
        row.Find("button.dismiss").Click();
        Assert.Equal(["call", "dismiss"], _clicks.Select(c => c.Action));
    }

    [Fact]
    public void AVisitorNotOnTheListIsFlaggedAndHasNoCallButton()
    {
        var row = RenderRow(Bob(), permitted: false);

        Assert.Contains("Not on your list", row.Find(".name").TextContent, StringComparison.Ordinal);
        Assert.Empty(row.FindAll("button.call"));
        Assert.Single(row.FindAll("button.dismiss"));
    }

    [Fact]
    public void AVisitorForAnUnknownAdministratorIsMarkedAndHasNoCallButton()
    {
        var row = RenderRow(Bob(host: null));

        Assert.Contains("Unknown administrator", row.Find(".name").TextContent, StringComparison.Ordinal);
        Assert.Contains("someone", row.Find(".name").TextContent, StringComparison.Ordinal);
        Assert.Empty(row.FindAll("button.call"));
    }

    [Theory]
    [InlineData(VisitorStatus.Ringing, "Ringing")]
    [InlineData(VisitorStatus.InCall, "In a call")]
    [InlineData(VisitorStatus.Away, "Page closed, may come back")]
    public void ARowInAnotherStateShowsItAndHasNoCallButton(VisitorStatus status, string text)
    {
        var row = RenderRow(Bob(status));

        Assert.Equal(text, row.Find(".status").TextContent);
        Assert.Empty(row.FindAll("button.call"));
    }

    [Fact]
    public void WhileTheHostIsInACallNobodyElseCanBeCalled()
    {
        Assert.Empty(RenderRow(Bob(), hostIsFree: false).FindAll("button.call"));
    }

    [Fact]
    public void AnHtmlLookingNameIsRenderedAsTextNotMarkup()
    {
        var row = RenderRow(Bob() with { Name = "<img src=x onerror=alert(1)><b>Eve</b>" });

        Assert.Empty(row.FindAll("img, b"));
        Assert.Equal("<img src=x onerror=alert(1)><b>Eve</b>", row.Find(".name").TextContent.Trim());
        Assert.Contains("&lt;img", row.Markup, StringComparison.Ordinal);
    }
}

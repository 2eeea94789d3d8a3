using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WebRtcChat.Components.Visitors;

namespace WebRtcChat.Tests.Components;

public sealed class VisitorFormTests : BunitContext
{
    private (string Name, string? Host)? _requested;

    public VisitorFormTests() => Services.AddLocalization();

    private IRenderedComponent<VisitorForm> RenderForm(bool askForHost = false) =>
        Render<VisitorForm>(p => p
            .Add(f => f.AskForHost, askForHost)
            .Add(f => f.OnRequest, request => _requested = request));

    [Fact]
    public void AValidNameIsSentTrimmedAndNormalised()
    {
        var form = RenderForm();

        form.Find("#visitor-name").Change("   Anna   Maria ");
        form.Find("form").Submit();

        Assert.Equal(("Anna Maria", (string?)null), _requested);
        Assert.Empty(form.Find("[role=alert]").TextContent);
    }

    [Theory]
    [InlineData("", "Please enter your name.")]
    [InlineData("\u202Eevil", "The name contains characters that cannot be used.")]
    [InlineData("\u200B\u200B", "Please use at least one visible letter, digit or symbol in your name.")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Please use at most 60 characters.")]
    public void AnInvalidNameShowsAClearErrorAndSendsNothing(string typed, string message)
    {
        var form = RenderForm();

        form.Find("#visitor-name").Change(typed);
        form.Find("form").Submit();

        Assert.Null(_requested);
        Assert.Equal(message, form.Find("[role=alert]").TextContent);
        Assert.Equal("true", form.Find("#visitor-name").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void PressingRequestChatBeforeTypingAnythingAsksForTheName()
    {
        var form = RenderForm();

        form.Find("form").Submit(); // the field was never touched: its value is null, not ""

        Assert.Null(_requested);
        Assert.Equal("Please enter your name.", form.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void WithOneHostThereIsNoSecondField()
    {
        var form = RenderForm(askForHost: false);

        Assert.Empty(form.FindAll("#visitor-host"));
        Assert.Equal("Request chat", form.Find("button[type=submit]").TextContent);
    }

    [Fact]
    public void WithSeveralHostsTheSecondFieldIsFreeTextWithNoHints()
    {
        var form = RenderForm(askForHost: true);

        var host = form.Find("#visitor-host");
        Assert.Equal("text", host.GetAttribute("type"));
        Assert.Equal("off", host.GetAttribute("autocomplete"));
        Assert.Empty(form.FindAll("datalist, select, option"));
        Assert.Equal("Who would you like to reach?", form.Find("label[for=visitor-host]").TextContent);

        form.Find("#visitor-name").Change("Bob");
        form.Find("form").Submit();
        Assert.Null(_requested);
        Assert.Equal("Please enter whom you would like to reach.", form.Find("[role=alert]").TextContent);

        host.Change("  Alice ");
        form.Find("form").Submit();
        Assert.Equal(("Bob", "Alice"), _requested);
    }

    [Theory]
    [InlineData("de", "Ihr Name", "Chat anfragen", "Bitte geben Sie Ihren Namen ein.", "Bitte verwenden Sie höchstens 60 Zeichen.")]
    [InlineData("fr", "Votre nom", "Demander un appel", "Veuillez saisir votre nom.", "Veuillez utiliser au plus 60 caractères.")]
    [InlineData("es", "Su nombre", "Solicitar llamada", "Escriba su nombre.", "Use como máximo 60 caracteres.")]
    public void TheFormAndItsErrorsAreInThePagesLanguage(string language, string label, string button, string missing, string tooLong)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        try
        {
            var form = RenderForm();
            Assert.Equal((label, button), (form.Find("label[for=visitor-name]").TextContent, form.Find("button[type=submit]").TextContent));

            form.Find("form").Submit();
            Assert.Equal(missing, form.Find("[role=alert]").TextContent);

            form.Find("#visitor-name").Change(new string('a', 61));
            form.Find("form").Submit();
            Assert.Equal(tooLong, form.Find("[role=alert]").TextContent);
            Assert.Null(_requested);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}

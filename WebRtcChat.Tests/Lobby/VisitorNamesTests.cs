using WebRtcChat.Components.Lobby;

namespace WebRtcChat.Tests.Lobby;

public sealed class VisitorNamesTests
{
    [Theory]
    [InlineData("  Bob  ", "Bob")]
    [InlineData("Anna   Maria\tMüller", "Anna Maria Müller")]
    [InlineData("Zoe\u0308", "Zoë")]                  // combining diaeresis composed (NFC)
    [InlineData("<b>Mallory</b>", "<b>Mallory</b>")]  // kept as typed; Razor escapes it on output
    [InlineData("李小龍", "李小龍")]
    [InlineData("a\u2028b", "a b")]                  // a line separator is white space: collapsed
    public void AcceptableNamesAreTrimmedCollapsedAndNormalised(string typed, string expected)
    {
        Assert.True(VisitorNames.TryNormalize(typed, out var name, out _));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Bob\u0000")]
    [InlineData("Bob\u0007")]
    [InlineData("\u202Eevil")]      // right-to-left override
    [InlineData("a\u2066b")]        // left-to-right isolate
    [InlineData("a\u200Fb")]        // right-to-left mark
    public void ControlCharactersBidiOverridesAndBlankNamesAreRefused(string typed)
    {
        Assert.False(VisitorNames.TryNormalize(typed, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void SixtyCharactersAreAcceptedAndSixtyOneAreNot()
    {
        Assert.True(VisitorNames.TryNormalize(new string('a', 60), out _, out _));
        Assert.False(VisitorNames.TryNormalize(new string('a', 61), out _, out var error));
        Assert.Contains("60", error, StringComparison.Ordinal);
        Assert.True(VisitorNames.TryNormalize(string.Concat(Enumerable.Repeat("😀", 60)), out _, out _)); // characters, not UTF-16 units
        Assert.False(VisitorNames.TryNormalize(new string('a', 100_000), out _, out _));
    }

    [Theory]
    [InlineData("bob", "BOB")]
    [InlineData("Anna Maria", "anna   maria")]
    [InlineData("Ｂｏｂ", "bob")]     // full-width letters
    [InlineData("Zoë", "Zoe\u0308")]
    public void PermittedNamesMatchIgnoringCaseSpacingAndUnicodeForm(string listed, string typed)
    {
        Assert.True(VisitorNames.IsPermitted([listed], typed));
    }

    [Fact]
    public void AnEmptyListPermitsAnyoneAndAListPermitsOnlyItsNames()
    {
        Assert.True(VisitorNames.IsPermitted([], "Anyone"));
        Assert.False(VisitorNames.IsPermitted(["Bob", "Carol"], "Bobby"));
    }
}

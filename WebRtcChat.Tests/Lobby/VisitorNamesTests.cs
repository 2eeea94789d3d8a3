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
    [InlineData("B\u200Bob", "Bob")]                 // a zero-width space inside goes
    [InlineData("\uFEFFBob\u2060", "Bob")]           // so do a byte-order mark and a word joiner
    [InlineData("An\u00ADna", "Anna")]               // and a soft hyphen
    [InlineData("👩\u200D💻 Ada", "👩\u200D💻 Ada")]   // the zero-width joiner of an emoji stays
    [InlineData("می\u200Cخواهم", "می\u200Cخواهم")]    // and the non-joiner of a Persian word
    [InlineData("❤\uFE0F Ann", "❤\uFE0F Ann")]         // and the variation selector of an emoji
    [InlineData("B\u034Fob\u3164", "Bob")]            // a grapheme joiner and a Hangul filler go
    [InlineData("Bob\U000E0041\U000E0042", "Bob")]     // and so does text hidden in tag characters
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

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200C\u200D\u2060\uFEFF")]
    [InlineData(" \u200B \u200B ")]
    [InlineData("\u00AD\u2061\u2062")]               // a soft hyphen and invisible operators
    [InlineData("\u0301\u0308")]                     // combining marks alone
    [InlineData("\u3164\u3164")]                     // Hangul fillers: letters drawn as nothing
    [InlineData("\u2800")]                           // the blank Braille pattern
    [InlineData("\U000E0041\U000E0042")]             // tag characters alone
    [InlineData("\U0001D159")]                       // the musical null notehead
    [InlineData("\uFE0F\u180B\u034F")]               // variation selectors and a grapheme joiner
    public void ANameThatShowsNothingIsRefusedInPlainWords(string typed)
    {
        Assert.False(VisitorNames.TryNormalize(typed, out _, out var error));
        Assert.Equal("Please use at least one visible letter, digit or symbol in your name.", error);
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
    [InlineData("Bob", "B\u200Bob")]  // zero-width characters are no part of a name
    [InlineData("Bob", "B\u200Dob")]
    [InlineData("B\u200Bob", "Bob")]
    [InlineData("Bob", "B\uFE0Fob")]  // nor are variation selectors, Mongolian selectors or Hangul fillers
    [InlineData("Bob", "B\u180Bob")]
    [InlineData("Bob", "\u3164Bob\u115F")]
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

using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using WebRtcChat.Components.Localization;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Localization;

public sealed partial class VisitorTextTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "WebRtcChat.Components", "Localization");

    private static IReadOnlyList<string> Keys() =>
        [.. typeof(VisitorText).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    private static Dictionary<string, string> Resx(string language)
    {
        var file = Path.Combine(Folder, language == "en" ? "VisitorText.resx" : $"VisitorText.{language}.resx");
        return XDocument.Load(file).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
    }

    public static TheoryData<string> Languages() => [.. VisitorText.Languages];

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryLanguageHasEveryWordAndNoOther(string language)
    {
        var words = Resx(language);

        Assert.Equal(Keys().Order(), words.Keys.Order());
        Assert.All(words, word => Assert.False(string.IsNullOrWhiteSpace(word.Value), $"{language}: {word.Key} is empty"));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryTranslationKeepsThePlaceholdersOfTheEnglish(string language)
    {
        var english = Resx("en");
        foreach (var (key, text) in Resx(language))
        {
            Assert.Equal(Placeholders(english[key]), Placeholders(text));
            _ = string.Format(CultureInfo.GetCultureInfo(language), text, "a", "b", "c"); // a malformed format throws here, not in a visitor's page
        }
    }

    [Fact]
    public void TheTranslationsAreTranslatedNotCopied()
    {
        var english = Resx("en");
        foreach (var language in VisitorText.Languages.Skip(1))
        {
            var same = Resx(language).Where(w => w.Value == english[w.Key] && Letters().IsMatch(w.Value)).Select(w => w.Key).ToList();
            Assert.True(same.Count <= 2, $"{language} has English left in {string.Join(", ", same)}"); // "Chat", "Message" may be the same word
        }
    }

    [Theory]
    [InlineData("en", "Request chat")]
    [InlineData("de", "Chat anfragen")]
    [InlineData("fr", "Demander un appel")]
    [InlineData("es", "Solicitar llamada")]
    public void TheBuiltResourcesSpeakEachLanguage(string language, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
            Assert.Equal(expected, VisitorWords.Localizer[VisitorText.RequestChat].Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().Order()];

    [GeneratedRegex(@"\{(\d+)[^}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\p{L}{3,}")]
    private static partial Regex Letters();
}

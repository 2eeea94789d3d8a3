using System.Text.RegularExpressions;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Localization;

public sealed partial class VisitorLanguageTests
{
    private static async Task<string> PageAsync(WebRtcChatFactory server, string path, string? acceptLanguage)
    {
        using var client = server.CreatePlainClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static (string Lang, string Title) Read(string html) =>
        (HtmlLang().Match(html).Groups[1].Value, System.Net.WebUtility.HtmlDecode(Title().Match(html).Groups[1].Value));

    [Theory]
    [InlineData("de-DE,de;q=0.9,en;q=0.5", "de", "Videochat")]
    [InlineData("de-AT", "de", "Videochat")]
    [InlineData("fr-CH, fr;q=0.9", "fr", "Appel vidéo")]
    [InlineData("es-419,es;q=0.8", "es", "Videollamada")]
    [InlineData("en-GB", "en", "Video chat")]
    [InlineData("ja,zh;q=0.8,fr;q=0.5", "fr", "Appel vidéo")]
    [InlineData("ja", "en", "Video chat")]
    [InlineData(null, "en", "Video chat")]
    public async Task TheVisitorPageIsInTheFirstLanguageTheBrowserAsksForThatItSpeaks(string? acceptLanguage, string lang, string title)
    {
        using var config = TestConfig.Create();
        await using var server = new WebRtcChatFactory(config);

        Assert.Equal((lang, title), Read(await PageAsync(server, "", acceptLanguage)));
    }

    [Fact]
    public async Task ABrowserAskingForNoLanguageItSpeaksGetsTheConfiguredDefaultLanguageAsEditedNow()
    {
        using var config = TestConfig.Create(configure: json => json["Server"]!["DefaultLanguage"] = "es");
        await using var server = new WebRtcChatFactory(config);

        Assert.Equal(("es", "Videollamada"), Read(await PageAsync(server, "", "ja")));
        Assert.Equal(("de", "Videochat"), Read(await PageAsync(server, "", "de"))); // the browser's wish comes first

        config.Json["Server"]!["DefaultLanguage"] = "de";
        config.Save();
        Assert.True(await Eventually.HoldsAsync(async () => Read(await PageAsync(server, "", "ja")) == ("de", "Videochat"), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task TheConsoleStaysEnglishWhateverTheBrowserAsks()
    {
        using var config = TestConfig.Create();
        await using var server = new WebRtcChatFactory(config);

        Assert.Equal(("en", "Console"), Read(await PageAsync(server, TestConfig.AliceConsolePath.TrimStart('/'), "de-DE,de;q=0.9")));
    }

    [GeneratedRegex("<html lang=\"([^\"]*)\"")]
    private static partial Regex HtmlLang();

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex Title();
}

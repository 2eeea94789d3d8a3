using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Configuration;

public sealed partial class ConfigurationReferenceTests
{
    public static TheoryData<string, string> EveryKey()
    {
        var keys = new TheoryData<string, string>();
        foreach (var section in typeof(WebRtcChatOptions).GetProperties())
        {
            var type = section.PropertyType.IsGenericType ? section.PropertyType.GetGenericArguments()[0] : section.PropertyType;
            foreach (var key in type.GetProperties().Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null))
            {
                keys.Add(section.Name, key.Name);
            }
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(EveryKey))]
    public void EveryConfigurationKeyHasARowInItsSectionOfTheReadme(string section, string key)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var match = Regex.Match(readme, $@"### `{section}`\n(?<body>.*?)(?=\n##)", RegexOptions.Singleline);

        Assert.True(match.Success, $"no section ### `{section}` in the README");
        Assert.Contains($"| `{key}` |", match.Groups["body"].Value, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryKey))]
    public void EveryConfigurationKeyIsInTheShippedFile(string section, string key)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "appconfig", "webrtcchat.json"));
        using var shipped = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

        if (section == nameof(WebRtcChatOptions.Administrators))
        {
            // The shipped list is empty (a fresh install generates a console path): the keys are in its commented example.
            Assert.Matches($"//.*\"{key}\"", text);
        }
        else
        {
            Assert.True(shipped.RootElement.GetProperty(section).TryGetProperty(key, out _), $"{section}.{key} is not in appconfig/webrtcchat.json");
        }
    }
}

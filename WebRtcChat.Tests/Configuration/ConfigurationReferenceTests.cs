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

    /// <summary>
    /// The keys below an administrator's <c>Alerts</c>, and below its channels, each with the README section it belongs
    /// in: <c>Administrators[i].Alerts</c>, <c>Administrators[i].Alerts.Ntfy</c>, …
    /// </summary>
    public static TheoryData<string, string> EveryNestedAlertsKey()
    {
        var keys = new TheoryData<string, string>();
        AddNested(keys, "Administrators[i].Alerts", typeof(AdministratorAlertsOptions));
        return keys;
    }

    private static void AddNested(TheoryData<string, string> keys, string section, Type type)
    {
        foreach (var key in type.GetProperties().Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null))
        {
            keys.Add(section, key.Name);
            var inner = Nullable.GetUnderlyingType(key.PropertyType) ?? key.PropertyType;
            if (inner.IsClass && inner != typeof(string) && inner.Namespace == typeof(WebRtcChatOptions).Namespace)
            {
                AddNested(keys, $"{section}.{key.Name}", inner);
            }
        }
    }

    [Fact]
    public void TheNestedAlertsKeysReachEveryChannel()
    {
        var sections = EveryNestedAlertsKey().Select(row => (string)row[0]).Distinct();

        Assert.Equal(["Administrators[i].Alerts", "Administrators[i].Alerts.Ntfy", "Administrators[i].Alerts.Webhook", "Administrators[i].Alerts.Email"], sections);
    }

    [Theory]
    [MemberData(nameof(EveryKey))]
    [MemberData(nameof(EveryNestedAlertsKey))]
    public void EveryConfigurationKeyHasARowInItsSectionOfTheReadme(string section, string key)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var match = Regex.Match(readme, $@"### `{Regex.Escape(section)}`\n(?<body>.*?)(?=\n##)", RegexOptions.Singleline);

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

    [Theory]
    [MemberData(nameof(EveryNestedAlertsKey))]
    public void EveryNestedAlertsKeyIsInTheShippedFilesCommentedExample(string section, string key)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "appconfig", "webrtcchat.json"));

        Assert.True(Regex.IsMatch(text, $"//.*\"{key}\""), $"{section}.{key} is not in the commented example of appconfig/webrtcchat.json");
    }
}

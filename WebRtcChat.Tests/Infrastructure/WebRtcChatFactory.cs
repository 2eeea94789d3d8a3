using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>The whole app in memory (TestServer), on a configuration file of the test's own.</summary>
public sealed class WebRtcChatFactory(TestConfig config) : WebApplicationFactory<Program>
{
    public TestConfig Config { get; } = config;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("config", Config.FilePath);
        builder.UseEnvironment("Production");
    }

    /// <summary>A client that does not follow redirects, so tests see each answer as it is.</summary>
    public HttpClient CreatePlainClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        BaseAddress = new Uri("https://localhost/"),
    });
}

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Components.Web;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Components.Pages;

/// <summary>The console of the administrator whose secret path was requested.</summary>
public sealed partial class ConsolePage
{
    [Inject] public required WebRtcChatSettings Settings { get; init; }

    [Inject] public required NavigationManager Navigation { get; init; }

    [CascadingParameter] public HttpContext? HttpContext { get; set; }

    /// <summary>The path after the path base, without its leading "/".</summary>
    [Parameter] public string? Slug { get; set; }

    private static readonly IComponentRenderMode InteractiveNoPrerender = new InteractiveServerRenderMode(prerender: false);

    private AdministratorOptions? Administrator { get; set; }

    private string ClientAddress => HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        Administrator = ConsolePaths.Match(Settings.Current.Administrators, "/" + (Slug ?? ""));
        if (Administrator is null)
        {
            Navigation.NotFound();
        }
    }
}

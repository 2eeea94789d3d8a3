using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http.Features;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Pages;
using WebRtcChat.Components.Security;

namespace WebRtcChat.Server.Security;

/// <summary>
/// Runs after routing. A request that matched nothing, or matched the console page under a path that is no
/// administrator's, gets the bland 404 here, before any component renders, so a wrong path never opens a circuit.
/// A matching console path gets the console's no-store and noindex headers. Whatever still ends in 404 or 405
/// further down is rewritten to the same bland 404, and so is a 400 from the framework's hub.
/// </summary>
public sealed class ConsolePathGateMiddleware(RequestDelegate next, WebRtcChatSettings settings)
{
    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.RequestDelegate is null)
        {
            context.Items[RequestOutcome.Key] = RequestOutcome.UnknownPath;
            await BlandNotFound.WriteAsync(context);
            return;
        }

        var component = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type;
        if (component is not null && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            // The pages post no forms; anything but GET would only reach the framework's 400 for a missing token.
            context.Items[RequestOutcome.Key] = RequestOutcome.UnknownPath;
            await BlandNotFound.WriteAsync(context);
            return;
        }

        if (component == typeof(ConsolePage))
        {
            var path = context.Request.Path.Value ?? "";
            if (ConsolePaths.Match(settings.Current.Administrators, path) is null)
            {
                // A miss shaped like a console path (and not like a file, such as favicon.ico) is worth telling apart.
                context.Items[RequestOutcome.Key] = OptionsValidator.LooksLikeConsolePath(path) && !Path.HasExtension(path)
                    ? RequestOutcome.WrongConsolePath
                    : RequestOutcome.UnknownPath;
                await BlandNotFound.WriteAsync(context);
                return;
            }

            context.Items[RequestOutcome.Key] = RequestOutcome.Console;
            SecurityHeaders.ApplyConsole(context.Response.Headers);
        }

        HeldNotFoundStream? held = null;
        var bodyFeature = context.Features.Get<IHttpResponseBodyFeature>();
        if (bodyFeature is not null && context.Request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal))
        {
            held = new HeldNotFoundStream(bodyFeature, context.Response);
            context.Features.Set<IHttpResponseBodyFeature>(held);
        }

        try
        {
            await next(context);
        }
        finally
        {
            if (held is not null)
            {
                context.Features.Set(bodyFeature);
            }
        }

        var frameworkBadRequest = context.Response.StatusCode == StatusCodes.Status400BadRequest && held is not null;
        if ((context.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed || frameworkBadRequest)
            && !context.Response.HasStarted)
        {
            if (context.Items[RequestOutcome.Key] is not RequestOutcome.Console)
            {
                context.Items[RequestOutcome.Key] = RequestOutcome.UnknownPath;
            }

            await BlandNotFound.WriteAsync(context);
        }
    }
}

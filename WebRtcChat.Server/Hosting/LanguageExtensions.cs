using System.Globalization;
using Microsoft.AspNetCore.Localization;
using WebRtcChat.Components.Configuration;
using WebRtcChat.Components.Localization;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Server.Hosting;

/// <summary>
/// The visitor's page in the visitor's language: the first of <see cref="VisitorText.Languages"/> that the browser's
/// <c>Accept-Language</c> asks for (a regional variant such as <c>de-AT</c> finds <c>de</c>), else
/// <c>Server.DefaultLanguage</c> as it is configured now. There is no language setting in the web: no cookie, no
/// query string. The console stays English.
/// </summary>
public static class LanguageExtensions
{
    /// <summary>Registers <c>IStringLocalizer</c> over the components' <c>.resx</c> files.</summary>
    public static IHostApplicationBuilder AddWebRtcChatLanguages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        return builder;
    }

    /// <summary>
    /// Sets each request's culture from its <c>Accept-Language</c>, for the visitor's page and the circuits (whose
    /// culture is that of the request that opened them), but not for a console page, which stays English.
    /// </summary>
    public static IApplicationBuilder UseVisitorLanguage(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<WebRtcChatSettings>();
        var cultures = VisitorText.Languages.Select(CultureInfo.GetCultureInfo).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(VisitorText.Languages[0]),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders =
            [
                new AcceptLanguageHeaderRequestCultureProvider(),
                // Read on every request, so a changed Server.DefaultLanguage applies without a restart.
                new CustomRequestCultureProvider(_ =>
                    Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(settings.Current.Server.DefaultLanguage))),
            ],
        };
        return app.UseWhen(context => !Equals(context.Items[RequestOutcome.Key], RequestOutcome.Console), visitor => visitor.UseRequestLocalization(options));
    }
}

using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebRtcChat.Components.Localization;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>The visitor's words from the real <c>.resx</c> files, in the current UI culture, as the server reads them.</summary>
public static class VisitorWords
{
    public static IStringLocalizer<VisitorText> Localizer { get; } =
        new StringLocalizer<VisitorText>(new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance));
}

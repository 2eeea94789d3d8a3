namespace WebRtcChat.Tests.Infrastructure;

/// <summary>Scripts run in a page before its own, for either engine: each is a function declaration.</summary>
public static class PageScripts
{
    /// <summary>
    /// A browser with no camera whose microphone takes three seconds to start: the other side's offer comes first.
    /// </summary>
    public const string NoCameraAndASlowMicrophone = """
        () => {
            const devices = navigator.mediaDevices, original = devices.getUserMedia.bind(devices);
            devices.getUserMedia = async (constraints) => {
                if (constraints?.video) {
                    throw new DOMException('Requested device not found', 'NotFoundError');
                }
                await new Promise((r) => setTimeout(r, 3000));
                return original(constraints);
            };
        }
        """;

    /// <summary>A function declaration as a Playwright init script, which is a script to run, not a function.</summary>
    public static string Called(string function) => $"({function})();";
}

using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using WebRtcChat.Components.Alerts;

namespace WebRtcChat.Server.Alerts;

/// <summary>
/// One POST of an alert through a named client of <c>AlertExtensions</c> (whose resilience handler retries 5xx, 408,
/// 429 and timeouts with backoff), and what became of it in words with no secret: the server's name, never the URL's
/// path or query (an ntfy topic and a Gotify token are secrets), never the answer's body.
/// </summary>
internal static class HttpDelivery
{
    public static async Task<AlertOutcome> PostAsync(HttpClient client, string channel, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var server = request.RequestUri!.IsDefaultPort ? request.RequestUri.Host : $"{request.RequestUri.Host}:{request.RequestUri.Port}";
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            return response.StatusCode switch
            {
                _ when response.IsSuccessStatusCode => new AlertOutcome(channel, true),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    new AlertOutcome(channel, false, $"{server} refused the credentials ({code})", Permanent: true),
                HttpStatusCode.NotFound or HttpStatusCode.Gone =>
                    new AlertOutcome(channel, false, $"{server} does not know the URL ({code})", Permanent: true),
                _ when code is >= 300 and < 400 =>
                    new AlertOutcome(channel, false, $"{server} redirects ({code}): configure the URL it redirects to", Permanent: true),
                _ when code is >= 400 and < 500 && code is not (408 or 429) =>
                    new AlertOutcome(channel, false, $"{server} refused the request ({code})", Permanent: true),
                _ => new AlertOutcome(channel, false, $"{server} answered {code}, also after retrying"),
            };
        }
        catch (HttpRequestException e)
        {
            return new AlertOutcome(channel, false, $"could not reach {server} ({Describe(e.HttpRequestError)})");
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            return new AlertOutcome(channel, false, $"no answer from {server} in time, also after retrying");
        }
        catch (BrokenCircuitException)
        {
            return new AlertOutcome(channel, false, $"{server} failed too often lately: not tried for a while");
        }
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "its name does not resolve",
        HttpRequestError.ConnectionError => "connection failed",
        HttpRequestError.SecureConnectionError => "its TLS certificate was not accepted",
        HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse => "its answer broke off",
        _ => error.ToString(),
    };
}

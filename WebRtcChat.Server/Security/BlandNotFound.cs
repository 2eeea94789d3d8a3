using System.Text;

namespace WebRtcChat.Server.Security;

/// <summary>
/// The one 404 every unknown, wrong or hidden path gets: the same status, headers and bytes, so a prober learns
/// nothing from comparing answers.
/// </summary>
public static class BlandNotFound
{
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("Not Found\n");

    /// <summary>Writes the bland 404, replacing whatever the response had so far (it must not have started).</summary>
    public static Task WriteAsync(HttpContext context)
    {
        var response = context.Response;
        response.Clear(); // drops headers set along the way (e.g. Cache-Control of a console page), so all 404s match
        SecurityHeaders.Apply(response.Headers);
        response.StatusCode = StatusCodes.Status404NotFound;
        response.ContentType = "text/plain";
        response.ContentLength = Body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(Body).AsTask();
    }
}

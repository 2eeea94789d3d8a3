using Microsoft.AspNetCore.Http;
using WebRtcChat.Server.Security;

namespace WebRtcChat.Tests.Security;

public sealed class HiddenDirectoryTests
{
    [Theory]
    [InlineData("/k3x9", "/k3x9", true, "")]
    [InlineData("/k3x9/", "/k3x9", true, "/")]
    [InlineData("/k3x9/_blazor/negotiate", "/k3x9", true, "/_blazor/negotiate")]
    [InlineData("/a/b/js/x.js", "/a/b", true, "/js/x.js")]
    [InlineData("/k3x9x", "/k3x9", false, "")]       // not a whole segment
    [InlineData("/k3x", "/k3x9", false, "")]         // shorter than the secret
    [InlineData("/K3X9/", "/k3x9", false, "")]       // case matters: the sub-directory is a secret
    [InlineData("/", "/k3x9", false, "")]
    [InlineData("", "/k3x9", false, "")]
    [InlineData("/a/b", "/a/bc", false, "")]
    public void TheSecretSubDirectoryMatchesWholeSegmentsExactlyAsStartsWithSegmentsWould(string path, string pathBase, bool matches, string rest)
    {
        var matched = HiddenDirectoryMiddleware.StartsWithSecret(new PathString(path.Length == 0 ? null : path), pathBase, out var head, out var remaining);

        Assert.Equal(matches, matched);
        Assert.Equal(new PathString(path.Length == 0 ? null : path).StartsWithSegments(pathBase, StringComparison.Ordinal), matched);
        if (matches)
        {
            Assert.Equal(pathBase, head.Value);
            Assert.Equal(rest, remaining.Value ?? "");
        }
    }
}

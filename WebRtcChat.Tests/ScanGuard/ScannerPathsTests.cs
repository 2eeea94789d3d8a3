using WebRtcChat.Server.ScanGuard;

namespace WebRtcChat.Tests.ScanGuard;

public sealed class ScannerPathsTests
{
    [Theory]
    [InlineData("/.env")]
    [InlineData("/.ENV")]
    [InlineData("/.env.production")]
    [InlineData("/k3x9/.env")]
    [InlineData("/.git/config")]
    [InlineData("/wp-login.php")]
    [InlineData("/blog/wp-admin/setup-config.php")]
    [InlineData("/wp-content/plugins/x")]
    [InlineData("/xmlrpc.php")]
    [InlineData("/phpMyAdmin/index.php")]
    [InlineData("/pma")]
    [InlineData("/cgi-bin/luci")]
    [InlineData("/boaform/admin/formLogin")]
    [InlineData("/actuator/health")]
    [InlineData("/server-status")]
    [InlineData("/.aws/credentials")]
    [InlineData("/.ssh/id_rsa")]
    [InlineData("/config.json")]
    [InlineData("/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php")]
    [InlineData("/HNAP1/")]
    [InlineData("/owa/auth/logon.aspx")]
    [InlineData("/autodiscover/autodiscover.xml")]
    [InlineData("/solr/admin/info/system")]
    [InlineData("/manager/html")]
    [InlineData("/.DS_Store")]
    [InlineData("/admin.php")]
    [InlineData("/shell")]
    [InlineData("/geoserver/web/")]
    public void AScannerPathIsRecognisedAtAnySegmentBoundaryAndInAnyCase(string path)
    {
        Assert.True(ScannerPaths.IsScannerPath(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("/")]
    [InlineData("/k3x9/")]
    [InlineData("/_blazor/negotiate")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/WebRtcChat.Components/peer.js")]
    [InlineData("/console-pX3abcdefghijklmnopqrst")]
    [InlineData("/console")]
    [InlineData("/desk-7Qf2-alice")]
    [InlineData("/pmax-desk")]
    [InlineData("/shellfish-desk")]
    [InlineData("/owasp")]
    [InlineData("/cgi-bin")]
    [InlineData("/my.env")]
    public void OrdinaryAndConsoleLikePathsAreNotScannerPaths(string? path)
    {
        Assert.False(ScannerPaths.IsScannerPath(path));
    }

    [Fact]
    public void TheListFileIsReadWithCommentsAndBlankLinesLeftOut()
    {
        Assert.Equal(["/a", "/b*"], ScannerPaths.Parse("# comment\n\n/a  # why\r\n  /b*\nnot-a-path\n/\n"));
        Assert.Contains("/wp-login.php", ScannerPaths.Entries);
        Assert.DoesNotContain(ScannerPaths.Entries, e => e.StartsWith("/console", StringComparison.OrdinalIgnoreCase));
    }
}

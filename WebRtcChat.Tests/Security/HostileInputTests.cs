using System.Net;
using System.Text;
using WebRtcChat.Tests.Infrastructure;

namespace WebRtcChat.Tests.Security;

/// <summary>
/// Malformed and hostile requests against the real server on Kestrel. Every row: the answer it should get (0 for a
/// connection the server closed without an HTTP answer, -1 for an answer that is not HTTP/1), no 5xx
/// but Kestrel's 505 for versions it does not speak, the security headers wherever our code answers, no secret the
/// request did not carry in the answer or in the log, and the visitor page still served afterwards.
/// </summary>
[Collection(HostileInputServer.Collection)]
public sealed class HostileInputTests(HostileInputServer fixture)
{
    private const string Base = HostileInputServer.PathBase;
    private const string Visitor = Base + "/";
    private const string Console = Base + TestConfig.AliceConsolePath;
    private const string Host = "Host: 127.0.0.1\r\n";
    private const string Close = "Connection: close\r\n\r\n";

    // Statuses only Kestrel gives, before any middleware runs: no security headers, by design of Kestrel.
    private static readonly int[] KestrelOnly = [400, 405, 411, 413, 414, 431, 505];

    private delegate Task<RawResponse> Send(int port, IPAddress from);

    private static readonly Dictionary<string, (int Expected, Send Send)> Rows = BuildRows();

    public static TheoryData<string> Names => [.. Rows.Keys];

    [Fact]
    public void TheTableHasAtLeastAHundredRows() => Assert.True(Rows.Count >= 100, $"{Rows.Count} rows");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task AHostileRequestGetsNo5xxNoSecretAndLeavesTheServerServing(string name)
    {
        var (expected, send) = Rows[name];
        var logged = fixture.Server.LogLines().Count;

        var response = await send(fixture.Config.Port, fixture.NextAddress());

        Assert.True(expected == response.Status, $"{name}: expected {expected}, got {response.Text}");
        Assert.False(response.Status is >= 500 and not 505, response.Text);
        if (response.Status > 0 && !KestrelOnly.Contains(response.Status))
        {
            Assert.True(response.HasSecurityHeaders, $"{name}: {response.Text}");
        }

        Assert.Empty(SecretPathEncodings.Leaks(response.Text, name.Contains("[asks for the console]", StringComparison.Ordinal) ? [] : [TestConfig.AliceConsolePath]));
        Assert.True(await fixture.StillServesAsync(), name);
        var lines = fixture.Server.LogLines().Skip(logged).ToList(); // this row's, and the honest visit's
        Assert.Empty(lines.SelectMany(l => SecretPathEncodings.Leaks(l, Base, TestConfig.AliceConsolePath)));
        Assert.DoesNotContain(lines, l => l.Contains(" ERR ", StringComparison.Ordinal) || l.Contains("(failed)", StringComparison.Ordinal)
            || l.Contains("[unreadable]", StringComparison.Ordinal));
    }

    private static Dictionary<string, (int, Send)> BuildRows()
    {
        var rows = new Dictionary<string, (int, Send)>();
        void Http1(string name, int expected, string request) =>
            rows.Add(name, (expected, (port, from) => RawHttp.SendAsync(port, from, request)));
        void Get(string name, int expected, string target) => Http1(name, expected, $"GET {target} HTTP/1.1\r\n{Host}{Close}");
        void Raw(string name, int expected, byte[] bytes, bool tls, TimeSpan? wait = null) =>
            rows.Add(name, (expected, async (port, from) => RawResponse.Parse(await RawHttp.ExchangeAsync(port, from, bytes, tls, wait))));
        void Http2(string name, int expected, params (string, string)[] fields) =>
            rows.Add(name, (expected, (port, from) => Http2Probe.SendAsync(port, from, fields)));

        // Paths
        Get("the visitor page", 200, Visitor);
        Get("the console [asks for the console]", 200, Console);
        Get("the site root", 404, "/");
        Get("the sub-directory without its slash", 200, Base);
        Get("an unknown page", 404, Base + "/nothing");
        Get("an encoded NUL", 400, Base + "/%00");
        Get("encoded dot segments to /etc/passwd", 404, Base + "/%2e%2e/%2e%2e/etc/passwd");
        Get("encoded slashes and dots", 404, Base + "/..%2f..%2fetc%2fpasswd");
        Get("a 3,000-character path", 404, Base + "/" + new string('a', 3000));
        Get("a request line past Kestrel's limit", 414, "/" + new string('a', 5000));
        Get("a bad percent escape", 404, Base + "/%ZZ");
        Get("a lone percent sign", 404, Base + "/%");
        Get("overlong UTF-8 dots", 404, Base + "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd");
        Get("invalid UTF-8", 404, Base + "/%ff%fe%fd");
        Get("the hub without a connection", 404, Base + "/_blazor");
        Get("a framework file", 200, Base + "/_framework/blazor.web.js");
        Get("a framework path climbing out", 404, Base + "/_framework/../../../etc/passwd");
        Get("the console behind a double slash [asks for the console]", 404, Base + "/" + Console[(Base.Length)..]);
        Get("the console with a NUL after it [asks for the console]", 400, Console + "%00");
        Get("the console with a dot after it [asks for the console]", 404, Console + ".");
        Get("a scanner path", 404, Base + "/.env");
        Get("a PHP scanner path", 404, Base + "/wp-login.php");
        Get("a module reached through dot segments", 200, Base + "/js/../js/webrtc-call.js");
        Get("a module with a NUL and another extension", 400, Base + "/js/webrtc-call.js%00.txt");
        Get("a tab icon", 404, Base + "/favicon.ico");
        Get("an emoji", 404, Base + "/%F0%9F%98%80");
        Http1("HEAD of an emoji", 404, $"HEAD /%F0%9F%98%80 HTTP/1.1\r\n{Host}{Close}");
        Get("tag characters", 404, "/%F3%A0%80%81%F3%A0%81%A1");
        Get("a hundred encoded slashes", 404, "/" + string.Concat(Enumerable.Repeat("%2F", 100)));
        Get("a 3,000-character query", 200, Visitor + "?" + new string('q', 3000));
        Get("an encoded space", 404, Base + "/%20");
        Get("a backslash path", 404, Base + "\\..\\..\\windows\\win.ini");
        Get("the asterisk form on GET", 405, "*");
        Get("a target without a slash", 405, "x");
        Get("a fragment in the target", 404, Visitor + "#top");
        Get("absolute form to this host", 200, "https://127.0.0.1" + Visitor);
        Get("absolute form to another host", 400, "https://evil.example" + Visitor);
        Get("absolute form with a bad port", 400, "https://127.0.0.1:99999" + Visitor);
        Get("a raw UTF-8 byte in the target", 400, Base + "/\u00e9");

        // Methods
        Http1("HEAD of the visitor page", 404, $"HEAD {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("POST to the visitor page", 404, $"POST {Visitor} HTTP/1.1\r\n{Host}Content-Length: 0\r\n{Close}");
        Http1("PUT to the console [asks for the console]", 404, $"PUT {Console} HTTP/1.1\r\n{Host}Content-Length: 0\r\n{Close}");
        Http1("DELETE", 404, $"DELETE {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("PATCH", 404, $"PATCH {Visitor} HTTP/1.1\r\n{Host}Content-Length: 0\r\n{Close}");
        Http1("OPTIONS", 404, $"OPTIONS {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("OPTIONS in asterisk form", 404, $"OPTIONS * HTTP/1.1\r\n{Host}{Close}");
        Http1("TRACE", 404, $"TRACE {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("CONNECT", 400, $"CONNECT 127.0.0.1:443 HTTP/1.1\r\n{Host}{Close}");
        Http1("PROPFIND", 404, $"PROPFIND {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("a lower-case method (ASP.NET Core compares methods ignoring case: the page, as for GET)", 200, $"get {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("a method named like the sub-directory", 404, $"{Base[1..]} {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("a method with a bad character", 400, $"G@T {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("a 300-character method", 404, $"{new string('X', 300)} {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("no method", 400, $" {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("a 100 KB POST to the visitor page", 404, $"POST {Visitor} HTTP/1.1\r\n{Host}Content-Length: 102400\r\n{Close}" + new string('x', 102400));
        Http1("a POST past the body limit", 404, $"POST {Visitor} HTTP/1.1\r\n{Host}Content-Length: 10000000\r\n{Close}" + new string('x', 1000));
        Http1("negotiate without a body", 200, $"POST {Base}/_blazor/negotiate?negotiateVersion=1 HTTP/1.1\r\n{Host}Content-Length: 0\r\n{Close}");
        Http1("a disconnect with garbage", 404, $"POST {Base}/_blazor/disconnect HTTP/1.1\r\n{Host}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n{Close}circuit=%");
        Http1("a GET with a body", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Content-Length: 5\r\n{Close}hello");

        // Headers
        Http1("HTTP/1.1 without Host", 400, $"GET {Visitor} HTTP/1.1\r\n{Close}");
        Http1("two Host headers", 400, $"GET {Visitor} HTTP/1.1\r\n{Host}Host: evil.example\r\n{Close}");
        Http1("an empty Host", 404, $"GET {Visitor} HTTP/1.1\r\nHost:\r\n{Close}");
        Http1("a Host with a port past 65535", 404, $"GET {Visitor} HTTP/1.1\r\nHost: 127.0.0.1:99999\r\n{Close}");
        Http1("a 2 KB Host", 404, $"GET {Visitor} HTTP/1.1\r\nHost: {new string('h', 2048)}\r\n{Close}");
        Http1("a Host with user info", 400, $"GET {Visitor} HTTP/1.1\r\nHost: user@127.0.0.1\r\n{Close}");
        Http1("a Host with a space", 400, $"GET {Visitor} HTTP/1.1\r\nHost: a b\r\n{Close}");
        Http1("another host name", 200, $"GET {Visitor} HTTP/1.1\r\nHost: chat.example.org\r\n{Close}");
        Http1("HTTP/1.0 without Host", 404, $"GET {Visitor} HTTP/1.0\r\n\r\n");
        Http1("HTTP/1.0 with Host", 200, $"GET {Visitor} HTTP/1.0\r\n{Host}\r\n");
        Http1("a header line without a colon", 400, $"GET {Visitor} HTTP/1.1\r\n{Host}NoColonHere\r\n{Close}");
        Http1("a header name with a space", 400, $"GET {Visitor} HTTP/1.1\r\n{Host}Bad Header: x\r\n{Close}");
        Http1("a folded header", 400, $"GET {Visitor} HTTP/1.1\r\n{Host}X-A: a\r\n b\r\n{Close}");
        Http1("a 20 KB header", 431, $"GET {Visitor} HTTP/1.1\r\n{Host}X-Big: {new string('b', 20_000)}\r\n{Close}");
        Http1("two hundred headers", 431, $"GET {Visitor} HTTP/1.1\r\n{Host}" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-H{i}: {new string('v', 100)}\r\n")) + Close);
        Http1("a non-numeric Content-Length", 400, $"POST {Visitor} HTTP/1.1\r\n{Host}Content-Length: abc\r\n{Close}");
        Http1("a negative Content-Length", 400, $"POST {Visitor} HTTP/1.1\r\n{Host}Content-Length: -1\r\n{Close}");
        Http1("two different Content-Lengths", 400, $"POST {Visitor} HTTP/1.1\r\n{Host}Content-Length: 1\r\nContent-Length: 2\r\n{Close}xx");
        Http1("chunked and Content-Length together", 404, $"POST {Visitor} HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n{Close}0\r\n\r\n");
        Http1("a transfer coding that is not chunked", 400, $"POST {Visitor} HTTP/1.1\r\n{Host}Transfer-Encoding: gzip\r\n{Close}");
        Http1("a broken chunk size", 404, $"POST {Visitor} HTTP/1.1\r\n{Host}Transfer-Encoding: chunked\r\n{Close}zz\r\nhello\r\n0\r\n\r\n");
        Http1("Expect 100-continue", 404, $"POST {Visitor} HTTP/1.1\r\n{Host}Expect: 100-continue\r\nContent-Length: 5\r\n{Close}hello");
        Http1("a WebSocket upgrade to the page", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        Http1("an h2c upgrade", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\nConnection: Upgrade, HTTP2-Settings, close\r\n\r\n");
        Http1("X-Forwarded-For from a client that is no proxy", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}X-Forwarded-For: 203.0.113.9\r\n{Close}");
        Http1("X-Forwarded-Host", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}X-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: http\r\n{Close}");
        Http1("X-Original-URL to the console", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}X-Original-URL: {TestConfig.AliceConsolePath}\r\nX-Rewrite-URL: {TestConfig.AliceConsolePath}\r\n{Close}");
        Http1("a 4 KB cookie of garbage", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Cookie: {string.Concat(Enumerable.Repeat("a=%;b=\"; ", 400))}\r\n{Close}");
        Http1("a garbage Accept-Language", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Accept-Language: ;;q=xx,*-*-*;q=-1,{new string('z', 500)}\r\n{Close}");
        Http1("a 6 KB User-Agent", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}User-Agent: {new string('u', 6000)}\r\n{Close}");
        Http1("a Referer naming the console", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Referer: https://127.0.0.1{Console}\r\n{Close}");
        Http1("a NUL in a header value", 400, $"GET {Visitor} HTTP/1.1\r\n{Host}X-A: a\0b\r\n{Close}");
        Http1("a Latin-1 byte in a header value", 400, $"GET {Visitor} HTTP/1.1\r\n{Host}X-A: caf\u00e9\r\n{Close}");
        Http1("a Range on a framework file", 206, $"GET {Base}/_framework/blazor.web.js HTTP/1.1\r\n{Host}Range: bytes=0-9\r\n{Close}");
        Http1("a nonsense Range", 200, $"GET {Base}/_framework/blazor.web.js HTTP/1.1\r\n{Host}Range: bytes=9-0,zz\r\n{Close}");
        Http1("junk conditional headers", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}If-None-Match: \"\0\r\nIf-Modified-Since: yesterday\r\n{Close}".Replace("\0", "x", StringComparison.Ordinal));
        Http1("an Authorization header", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}Authorization: Basic YWRtaW46YWRtaW4=\r\n{Close}");
        Http1("a pipelined garbage request after a good one", 200, $"GET {Visitor} HTTP/1.1\r\n{Host}\r\nGARBAGE\r\n\r\n");

        // Versions and request-line shapes
        Http1("HTTP/1.2", 505, $"GET {Visitor} HTTP/1.2\r\n{Host}{Close}");
        Http1("HTTP/2.0 as text", 505, $"GET {Visitor} HTTP/2.0\r\n{Host}{Close}");
        Http1("HTTP/9.9", 505, $"GET {Visitor} HTTP/9.9\r\n{Host}{Close}");
        Http1("a lower-case http/1.1", 505, $"GET {Visitor} http/1.1\r\n{Host}{Close}");
        Http1("HTTP/1 without a minor version", 400, $"GET {Visitor} HTTP/1\r\n{Host}{Close}");
        Http1("HTTP/1.10", 400, $"GET {Visitor} HTTP/1.10\r\n{Host}{Close}");
        Http1("HTTP/0.9 without a version", 400, $"GET {Visitor}\r\n\r\n");
        Http1("the HTTP/2 preface without h2", 505, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        Http1("bare line feeds", 200, $"GET {Visitor} HTTP/1.1\n{Host.TrimEnd()}\nConnection: close\n\n");
        Http1("a carriage return without a line feed", 400, $"GET {Visitor} HTTP/1.1\r{Host}{Close}");
        Http1("empty lines before the request", 200, $"\r\n\r\nGET {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("tabs between the parts", 400, $"GET\t{Visitor}\tHTTP/1.1\r\n{Host}{Close}");
        Http1("two spaces between the parts", 400, $"GET  {Visitor} HTTP/1.1\r\n{Host}{Close}");
        Http1("a space after the version", 400, $"GET {Visitor} HTTP/1.1 \r\n{Host}{Close}");
        Http1("a space inside the target", 400, $"GET {Base}/a b HTTP/1.1\r\n{Host}{Close}");

        // Not TLS, or TLS gone wrong
        Raw("plain HTTP", 0, Encoding.ASCII.GetBytes($"GET {Visitor} HTTP/1.1\r\n{Host}{Close}"), tls: false);
        Raw("plain HTTP to the console", 0, Encoding.ASCII.GetBytes($"GET {Console} HTTP/1.1\r\n{Host}{Close}"), tls: false);
        Raw("random bytes", 0, [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 7919 % 251))], tls: false);
        Raw("a truncated ClientHello (closed at the 10 s handshake timeout)", 0, [0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00, 0x00, 0xfb, 0x03, 0x03], tls: false, wait: TimeSpan.FromSeconds(15));
        Raw("a TLS record of an unknown version", 0, [0x16, 0x09, 0x09, 0x00, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05], tls: false);
        Raw("an SSLv2 hello", 0, [0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10, .. new byte[37]], tls: false);
        Raw("a TLS alert instead of a hello", 0, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], tls: false);
        Raw("a megabyte of zeros", 0, new byte[1 << 20], tls: false);
        Raw("a connection that says nothing (closed by the server after 10 s)", 0, [], tls: false, wait: TimeSpan.FromSeconds(15));
        Raw("TLS, then binary garbage", 400, [.. Enumerable.Range(0, 256).Select(i => (byte)(255 - i))], tls: true);
        Raw("TLS, then a NUL", 400, [0x00, 0x0d, 0x0a, 0x0d, 0x0a], tls: true);

        // HTTP/2
        Http2("HTTP/2: the visitor page", 200, (":method", "GET"), (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1"));
        Http2("HTTP/2: the console [asks for the console]", 200, (":method", "GET"), (":scheme", "https"), (":path", Console), (":authority", "127.0.0.1"));
        Http2("HTTP/2: no :authority", 404, (":method", "GET"), (":scheme", "https"), (":path", Visitor));
        Http2("HTTP/2: an empty :authority", 404, (":method", "GET"), (":scheme", "https"), (":path", Visitor), (":authority", ""));
        Http2("HTTP/2: a port past 65535", 404, (":method", "GET"), (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1:99999"));
        Http2("HTTP/2: the site root", 404, (":method", "GET"), (":scheme", "https"), (":path", "/"), (":authority", "127.0.0.1"));
        Http2("HTTP/2: a path without a slash", 0, (":method", "GET"), (":scheme", "https"), (":path", "x"), (":authority", "127.0.0.1"));
        Http2("HTTP/2: no :method", 0, (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1"));
        Http2("HTTP/2: an upper-case header name", 0, (":method", "GET"), (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1"), ("X-Upper", "1"));
        Http2("HTTP/2: a connection-specific header", 0, (":method", "GET"), (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1"), ("connection", "close"));
        Http2("HTTP/2: a HEAD", 404, (":method", "HEAD"), (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1"));
        Http2("HTTP/2: the scheme http", 0, (":method", "GET"), (":scheme", "http"), (":path", Visitor), (":authority", "127.0.0.1"));
        Http2("HTTP/2: CONNECT", 404, (":method", "CONNECT"), (":authority", "127.0.0.1:443"));
        Http2("HTTP/2: a Host header beside :authority (Kestrel takes :authority)", 200, (":method", "GET"), (":scheme", "https"), (":path", Visitor), (":authority", "127.0.0.1"), ("host", "evil.example"));
        Http2("HTTP/2: encoded backslashes to the console [asks for the console]", 404, (":method", "GET"), (":scheme", "https"), (":path", "/%5c" + Base[1..] + "%5c" + TestConfig.AliceConsolePath[1..]), (":authority", "127.0.0.1"));
        return rows;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>
/// One headless Debian firefox-esr with a temporary profile (and temporary and cache directories) of its own, driven
/// over WebDriver BiDi from a plain WebSocket: Playwright's own Firefox build cannot be downloaded here, and the
/// Debian one speaks BiDi by itself. Disposing ends the browser and deletes everything it wrote.
/// </summary>
public sealed partial class FirefoxBidi : IAsyncDisposable
{
    public const string Executable = "firefox-esr";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The profile's user.js. Fake camera and microphone granted for good (without a standing permission Firefox
    /// gathers no ICE candidates in a network without a default route), and every feature that would open a
    /// connection beyond loopback switched off: the tests talk to 127.0.0.1 only.
    /// </summary>
    private static readonly (string Name, object Value)[] Preferences =
    [
        ("media.navigator.streams.fake", true),
        ("media.navigator.permission.disabled", true),
        ("permissions.default.camera", 1),
        ("permissions.default.microphone", 1),
        // The test's TURN server, and so every relayed candidate, is on 127.0.0.1, which Firefox leaves out by default.
        ("media.peerconnection.ice.loopback", true),
        ("media.autoplay.default", 0), // as Chromium's --autoplay-policy=no-user-gesture-required
        ("media.autoplay.blocking_policy", 0),

        ("browser.startup.homepage", "about:blank"),
        ("browser.startup.page", 0),
        ("browser.startup.homepage_override.mstone", "ignore"),
        ("startup.homepage_welcome_url", "about:blank"),
        ("startup.homepage_welcome_url.additional", ""),
        ("browser.aboutwelcome.enabled", false),
        ("browser.shell.checkDefaultBrowser", false),
        ("browser.tabs.warnOnClose", false),
        ("browser.sessionstore.resume_from_crash", false),
        ("toolkit.startup.max_resumed_crashes", -1),
        ("datareporting.policy.firstRunURL", ""),

        ("app.update.disabledForTesting", true),
        ("app.update.auto", false),
        ("app.update.checkInstallTime", false),
        ("app.normandy.enabled", false),
        ("app.normandy.api_url", ""),
        ("app.shield.optoutstudies.enabled", false),
        ("messaging-system.rsexperimentloader.enabled", false),
        ("datareporting.healthreport.uploadEnabled", false),
        ("datareporting.policy.dataSubmissionEnabled", false),
        ("datareporting.usage.uploadEnabled", false),
        ("toolkit.telemetry.enabled", false),
        ("toolkit.telemetry.unified", false),
        ("toolkit.telemetry.archive.enabled", false),
        ("toolkit.telemetry.newProfilePing.enabled", false),
        ("toolkit.telemetry.shutdownPingSender.enabled", false),
        ("toolkit.telemetry.updatePing.enabled", false),
        ("toolkit.telemetry.bhrPing.enabled", false),
        ("toolkit.telemetry.firstShutdownPing.enabled", false),
        ("toolkit.telemetry.server", "data:,"),
        ("browser.ping-centre.telemetry", false),
        ("browser.crashReports.unsubmittedCheck.autoSubmit2", false),
        // Mozilla's own test profiles point remote settings at this inert URL (a blank one is an invalid URL).
        ("services.settings.server", "data:,#remote-settings-dummy/v1"),
        ("services.settings.poll_interval", 0),
        ("security.remote_settings.crlite_filters.enabled", false),
        ("security.remote_settings.intermediates.enabled", false),
        ("security.OCSP.enabled", 0),
        ("security.certerrors.mitm.priming.enabled", false),

        ("browser.safebrowsing.malware.enabled", false),
        ("browser.safebrowsing.phishing.enabled", false),
        ("browser.safebrowsing.blockedURIs.enabled", false),
        ("browser.safebrowsing.downloads.enabled", false),
        ("browser.safebrowsing.downloads.remote.enabled", false),
        ("browser.safebrowsing.provider.google4.updateURL", ""),
        ("browser.safebrowsing.provider.google4.gethashURL", ""),
        ("browser.safebrowsing.provider.google.updateURL", ""),
        ("browser.safebrowsing.provider.google.gethashURL", ""),
        ("browser.safebrowsing.provider.mozilla.updateURL", ""),
        ("browser.safebrowsing.provider.mozilla.gethashURL", ""),
        ("privacy.trackingprotection.enabled", false),
        ("privacy.trackingprotection.pbmode.enabled", false),

        ("network.captive-portal-service.enabled", false),
        ("network.connectivity-service.enabled", false),
        ("captivedetect.canonicalURL", ""),
        ("network.trr.mode", 5), // no DNS over HTTPS
        ("network.dns.disablePrefetch", true),
        ("network.prefetch-next", false),
        ("network.predictor.enabled", false),
        ("network.http.speculative-parallel-limit", 0),
        ("network.proxy.type", 0),
        ("dom.push.connection.enabled", false),
        ("dom.push.serverURL", ""),
        ("geo.enabled", false),
        ("geo.provider.network.url", ""),
        ("browser.region.network.url", ""),
        ("browser.region.update.enabled", false),
        ("browser.search.update", false),
        ("browser.search.suggest.enabled", false),
        ("browser.urlbar.suggest.searches", false),

        ("extensions.update.enabled", false),
        ("extensions.update.autoUpdateDefault", false),
        ("extensions.getAddons.cache.enabled", false),
        ("extensions.blocklist.enabled", false),
        ("extensions.systemAddon.update.enabled", false),
        ("extensions.systemAddon.update.url", ""),
        ("extensions.pocket.enabled", false),
        ("extensions.screenshots.disabled", true),
        ("browser.discovery.enabled", false),
        ("identity.fxaccounts.enabled", false),
        // OpenH264 and Widevine are downloaded on first use; the calls negotiate VP8 without them.
        ("media.gmp-manager.updateEnabled", false),
        ("media.gmp-manager.url", ""),
        ("media.gmp-gmpopenh264.autoupdate", false),
        ("media.gmp-widevinecdm.enabled", false),
        ("media.eme.enabled", false),

        ("browser.newtabpage.enabled", false),
        ("browser.newtabpage.activity-stream.enabled", false),
        ("browser.newtabpage.activity-stream.telemetry", false),
        ("browser.newtabpage.activity-stream.feeds.telemetry", false),
        ("browser.newtabpage.activity-stream.feeds.topsites", false),
        ("browser.newtabpage.activity-stream.feeds.section.topstories", false),
        ("browser.newtabpage.activity-stream.feeds.system.topstories", false),
        ("browser.newtabpage.activity-stream.feeds.snippets", false),
        ("browser.newtabpage.activity-stream.feeds.discoverystreamfeed", false),
        ("browser.newtabpage.activity-stream.default.sites", ""),
        ("browser.newtabpage.activity-stream.showSponsored", false),
        ("browser.newtabpage.activity-stream.showSponsoredTopSites", false),
        ("browser.topsites.contile.enabled", false),
        ("browser.send_pings", false),
    ];

    private readonly Process _process;
    private readonly string _root;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _console = new();
    private Task _reader = Task.CompletedTask;
    private long _lastId;
    private bool _disposed;

    private FirefoxBidi(Process process, string root)
    {
        _process = process;
        _root = root;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What Firefox printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The pages' console messages so far, for failure messages.</summary>
    public string ConsoleMessages => string.Join('\n', _console);

    /// <summary>Starts firefox-esr headless and opens a BiDi session that accepts the server's self-signed certificate.</summary>
    public static async Task<FirefoxBidi> StartAsync()
    {
        var executable = FindOnPath(Executable) ?? throw new InvalidOperationException(
            "firefox-esr is not installed: the Firefox call tests need Debian's firefox-esr (apt-get install firefox-esr; test.sh installs it).");
        var root = Directory.CreateTempSubdirectory("webrtcchat-firefox-").FullName;
        var profile = Directory.CreateDirectory(Path.Combine(root, "profile")).FullName;
        File.WriteAllLines(Path.Combine(profile, "user.js"),
            Preferences.Select(p => $"user_pref({JsonSerializer.Serialize(p.Name)}, {JsonSerializer.Serialize(p.Value)});"));

        // Port 0: Firefox picks a free one and prints it.
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port=0", "about:blank" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Whatever Firefox writes outside its profile lands under the same root, and goes with it.
        start.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        start.Environment["XDG_CACHE_HOME"] = Directory.CreateDirectory(Path.Combine(root, "cache")).FullName;
        start.Environment["MOZ_CRASHREPORTER_DISABLE"] = "1";
        // Release and ESR builds ignore services.settings.server (and fetch remote settings from Mozilla) without this.
        start.Environment["MOZ_REMOTE_SETTINGS_DEVTOOLS"] = "1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("firefox-esr did not start");
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }

        var firefox = new FirefoxBidi(process, root);
        try
        {
            var url = await firefox.WaitForBidiUrlAsync(TimeSpan.FromSeconds(60));
            await firefox._socket.ConnectAsync(new Uri(url + "/session"), CancellationToken.None);
            firefox._reader = Task.Run(firefox.ReadAsync);
            await firefox.SendAsync("session.new", new JsonObject
            {
                ["capabilities"] = new JsonObject { ["alwaysMatch"] = new JsonObject { ["acceptInsecureCerts"] = true } },
            });
            await firefox.SendAsync("session.subscribe", new JsonObject { ["events"] = new JsonArray("log.entryAdded") });
            return firefox;
        }
        catch
        {
            await firefox.DisposeAsync(); // never leave a half-started browser or its profile behind
            throw;
        }
    }

    /// <summary>
    /// A new tab in a user context of its own (its own cookies and storage, as a separate person would have) at
    /// <paramref name="url"/>. The tab is created in front: the first headless tab never gets the focus. A
    /// <paramref name="preloadScript"/> (a function declaration) runs first in every page of that context.
    /// </summary>
    public async Task<FirefoxTab> NewTabAsync(string url, string? preloadScript = null)
    {
        var userContext = (await SendAsync("browser.createUserContext", [])).GetProperty("userContext").GetString()!;
        FirefoxTab tab;
        try
        {
            if (preloadScript is not null)
            {
                // Removed with its user context.
                await SendAsync("script.addPreloadScript", new JsonObject
                {
                    ["functionDeclaration"] = preloadScript,
                    ["userContexts"] = new JsonArray(userContext),
                });
            }

            var context = (await SendAsync("browsingContext.create", new JsonObject
            {
                ["type"] = "tab",
                ["userContext"] = userContext,
                ["background"] = false,
            })).GetProperty("context").GetString()!;
            tab = new FirefoxTab(this, context, userContext);
        }
        catch
        {
            await SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = userContext });
            throw;
        }

        try
        {
            await SendAsync("browsingContext.activate", new JsonObject { ["context"] = tab.Context });
            await tab.GotoAsync(url);
            return tab;
        }
        catch
        {
            await tab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one BiDi command and returns its result; an error reply throws with Firefox's message.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject parameters, TimeSpan? timeout = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_reader.IsCompleted)
        {
            throw new IOException($"Firefox closed the BiDi connection.\n{Output}");
        }

        var id = Interlocked.Increment(ref _lastId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            var message = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
            await _sending.WaitAsync();
            try
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            finally
            {
                _sending.Release();
            }

            var limit = timeout ?? CommandTimeout;
            try
            {
                return await reply.Task.WaitAsync(limit);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Firefox did not answer {method} within {limit.TotalSeconds} s.\n{Output}");
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    Dispatch(message.ToArray());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Firefox went away, or the socket was aborted on dispose: the pending commands fail below
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new IOException($"Firefox closed the BiDi connection.\n{Output}"));
            }
        }
    }

    private void Dispatch(byte[] message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString();
        if (type == "event")
        {
            if (root.GetProperty("method").GetString() == "log.entryAdded" && root.GetProperty("params").TryGetProperty("text", out var text))
            {
                _console.Enqueue(text.GetString() ?? "");
                while (_console.Count > 200)
                {
                    _console.TryDequeue(out _);
                }
            }

            return;
        }

        if (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
            || !_pending.TryGetValue(idElement.GetInt64(), out var reply))
        {
            return;
        }

        if (type == "success")
        {
            reply.TrySetResult(root.GetProperty("result").Clone());
        }
        else
        {
            reply.TrySetException(new InvalidOperationException(
                $"{root.GetProperty("error").GetString()}: {(root.TryGetProperty("message", out var m) ? m.GetString() : "")}"));
        }
    }

    private async Task<string> WaitForBidiUrlAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var match = _output.Select(line => ListeningLine().Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return match.Groups[1].Value;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"firefox-esr exited ({_process.ExitCode}) before listening for WebDriver BiDi:\n{Output}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"firefox-esr did not listen for WebDriver BiDi within {timeout.TotalSeconds} s:\n{Output}");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex(@"WebDriver BiDi listening on (ws://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                // browser.close ends the session and Firefox with it, as a user closing the window would.
                await SendAsync("browser.close", [], TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or WebSocketException)
            {
                // killed below
            }
        }

        _disposed = true;
        using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                // killed below
            }
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        _socket.Abort();
        await _reader;
        _socket.Dispose();
        _sending.Dispose();
        DeleteRoot();
    }

    private void DeleteRoot()
    {
        // Content processes may still be writing for a moment after the parent has gone.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(250);
            }
        }
    }
}

/// <summary>
/// One Firefox tab in a user context of its own. Elements are found as the Playwright tests find them: by role and
/// accessible name (aria-label, else the text), or by label; clicks carry user activation, as a real click does.
/// </summary>
public sealed class FirefoxTab : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Finds the first visible element of a kind with an exact (whitespace-normalised) name, or null.</summary>
    private const string Find = """
        const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
        const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
        const nameOf = (e) => norm(e.getAttribute('aria-label') ?? (e.labels?.[0]?.textContent) ?? e.textContent ?? e.value);
        const selectors = {
            button: 'button, [role=button], input[type=submit], input[type=button]',
            heading: 'h1, h2, h3, h4, h5, h6, [role=heading]',
            labelled: '[aria-label], input, select, textarea',
        };
        const find = (kind, name) => [...document.querySelectorAll(selectors[kind])].find((e) => visible(e) && nameOf(e) === name) ?? null;
        """;

    private readonly FirefoxBidi _firefox;
    private readonly string _userContext;
    private bool _closed;

    internal FirefoxTab(FirefoxBidi firefox, string context, string userContext)
    {
        _firefox = firefox;
        Context = context;
        _userContext = userContext;
    }

    /// <summary>The BiDi browsing context id.</summary>
    public string Context { get; }

    public async Task GotoAsync(string url) =>
        await _firefox.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = Context, ["url"] = url, ["wait"] = "complete" },
            TimeSpan.FromSeconds(60));

    /// <summary>
    /// Calls a JavaScript function in the page with string arguments, awaiting a returned promise, and returns its
    /// result as JSON (undefined as null). An exception in the page throws here with its text.
    /// </summary>
    public async Task<JsonElement> EvaluateAsync(string function, params string[] arguments)
    {
        var result = await _firefox.SendAsync("script.callFunction", new JsonObject
        {
            // JSON through a string: BiDi's own serialisation of objects is a nested list of pairs.
            ["functionDeclaration"] = $"async (...args) => JSON.stringify({{ value: await ({function})(...args) }})",
            ["awaitPromise"] = true,
            ["target"] = new JsonObject { ["context"] = Context },
            ["arguments"] = new JsonArray([.. arguments.Select(a => new JsonObject { ["type"] = "string", ["value"] = a })]),
            ["resultOwnership"] = "none",
            ["userActivation"] = true,
        });
        if (result.GetProperty("type").GetString() != "success")
        {
            var details = result.GetProperty("exceptionDetails");
            throw new InvalidOperationException($"script error in Firefox: {details.GetProperty("text").GetString()}");
        }

        using var document = JsonDocument.Parse(result.GetProperty("result").GetProperty("value").GetString()!);
        return document.RootElement.TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Fills the text field with this label (its &lt;label&gt; or aria-label), as typing and leaving it would.</summary>
    public Task FillAsync(string label, string text) => UntilAsync($"a field labelled \"{label}\" to fill", $$"""
        (name, text) => {
            {{Find}}
            const field = find('labelled', name);
            if (!field || field.disabled) return false;
            field.focus();
            field.value = text;
            field.dispatchEvent(new Event('input', { bubbles: true }));
            field.dispatchEvent(new Event('change', { bubbles: true }));
            return true;
        }
        """, DefaultTimeout, label, text);

    /// <summary>Clicks the visible, enabled button with this accessible name once there is one.</summary>
    public Task ClickButtonAsync(string name, TimeSpan? timeout = null) => UntilAsync($"a button \"{name}\" to click", $$"""
        (name) => {
            {{Find}}
            const button = find('button', name);
            if (!button || button.disabled) return false;
            button.click();
            return true;
        }
        """, timeout ?? DefaultTimeout, name);

    /// <summary>Waits until a heading with this text is visible.</summary>
    public Task WaitForHeadingAsync(string name, TimeSpan? timeout = null) => WaitForAsync("heading", name, true, timeout);

    /// <summary>Waits until a button with this name is visible.</summary>
    public Task WaitForButtonAsync(string name, TimeSpan? timeout = null) => WaitForAsync("button", name, true, timeout);

    /// <summary>Waits until an element with this aria-label (or label) is visible, or, with <paramref name="present"/> false, gone.</summary>
    public Task WaitForLabelledAsync(string label, bool present = true, TimeSpan? timeout = null) => WaitForAsync("labelled", label, present, timeout);

    /// <summary>Waits until the page's visible text contains <paramref name="text"/>.</summary>
    public Task WaitForTextAsync(string text, TimeSpan? timeout = null) => UntilAsync($"the text \"{text}\"",
        "(text) => document.body.innerText.replace(/\\s+/g, ' ').includes(text)", timeout ?? DefaultTimeout, text);

    private Task WaitForAsync(string kind, string name, bool present, TimeSpan? timeout) =>
        UntilAsync($"{(present ? "" : "no ")}{kind} \"{name}\"", $$"""
            (kind, name, present) => {
                {{Find}}
                return (find(kind, name) !== null) === (present === 'true');
            }
            """, timeout ?? DefaultTimeout, kind, name, present ? "true" : "false");

    /// <summary>Polls the function until it returns true; on time-out fails with what the page shows.</summary>
    private async Task UntilAsync(string what, string function, TimeSpan timeout, params string[] arguments)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if ((await EvaluateAsync(function, arguments)).ValueKind == JsonValueKind.True)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var text = await EvaluateAsync("() => document.body.innerText");
                throw new TimeoutException($"Firefox: waited {timeout.TotalSeconds} s for {what}. The page shows:\n{text}\nConsole:\n{_firefox.ConsoleMessages}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Closes the tab and removes its user context with its cookies and storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            await _firefox.SendAsync("browsingContext.close", new JsonObject { ["context"] = Context });
            await _firefox.SendAsync("browser.removeUserContext", new JsonObject { ["userContext"] = _userContext });
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the browser has gone (and the test fails for that already): nothing left to close
        }
    }
}

/// <summary>One Firefox for all the Firefox tests (the machine has two cores), started when the first one needs it.</summary>
public sealed class FirefoxFixture : IAsyncLifetime
{
    public FirefoxBidi Firefox { get; private set; } = null!;

    public async Task InitializeAsync() => Firefox = await FirefoxBidi.StartAsync();

    public async Task DisposeAsync()
    {
        if (Firefox is not null)
        {
            await Firefox.DisposeAsync();
        }
    }
}

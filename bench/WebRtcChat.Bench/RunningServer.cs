using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace WebRtcChat.Bench;

/// <summary>How to start one server: the program, its arguments and environment, and the page that proves it serves.</summary>
internal sealed record ServerPlan(string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory, Uri Page, int Port);

/// <summary>A server under test, as a process of its own: its start-up time, its memory and its CPU, read from /proc.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private RunningServer(Process process, ServerPlan plan, TimeSpan startUp, ConcurrentQueue<string> output)
    {
        (_process, Plan, StartUp, _output) = (process, plan, startUp, output);
    }

    public ServerPlan Plan { get; }

    /// <summary>From the process's start to the first 200 of its page.</summary>
    public TimeSpan StartUp { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts a server on the plan <paramref name="makePlan"/> makes, optionally through a wrapper (taskset, a
    /// cgroup), and waits for the first 200. The machine is shared: should another program take the free port
    /// first, the server starts again on another.
    /// </summary>
    public static async Task<RunningServer> StartAsync(Func<ServerPlan> makePlan, IReadOnlyList<string>? wrapper = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(makePlan(), wrapper);
            }
            catch (InvalidOperationException e) when (attempt < 3)
            {
                await Console.Error.WriteLineAsync($"    (start failed, trying another port: {e.Message.Split('\n')[0]})");
            }
        }
    }

    private static async Task<RunningServer> StartAsync(ServerPlan plan, IReadOnlyList<string>? wrapper)
    {
        var command = (wrapper ?? []).Concat([plan.Executable, .. plan.Arguments]).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = plan.WorkingDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in plan.Environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{plan.Executable} did not start");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (await Http.LoadAsync(plan.Page) != 200)
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new InvalidOperationException(process.HasExited ? $"exited {process.ExitCode}" : "gave no 200 within 60 s");
                }

                await Task.Delay(5);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
        {
            Stop(process); // never leave a half-started server running
            throw new InvalidOperationException($"{plan.Executable} on port {plan.Port}: {e.Message}\n{string.Join('\n', output)}", e);
        }

        return new RunningServer(process, plan, clock.Elapsed, output);
    }

    /// <summary>The resident set now, in bytes.</summary>
    public long Rss => StatusField("VmRSS");

    /// <summary>The highest resident set so far, in bytes.</summary>
    public long PeakRss => StatusField("VmHWM");

    /// <summary>The server's user and system CPU so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            // Fields 14 and 15 of /proc/PID/stat, in clock ticks; the command name (field 2) may hold spaces.
            var stat = File.ReadAllText($"/proc/{Id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
    }

    // sysconf(_SC_CLK_TCK) is 100 on every Linux the bench runs on.
    private const int ClockTicksPerSecond = 100;

    /// <summary>The median of a few readings of the resident set over <paramref name="span"/>: one reading is noisy.</summary>
    public async Task<long> SettledRssAsync(TimeSpan span)
    {
        var readings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(span / 5);
            readings.Add(Rss);
        }

        return (long)Stats.Median(readings);
    }

    private long StatusField(string name)
    {
        foreach (var line in File.ReadLines($"/proc/{Id}/status"))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no {name} for process {Id}");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}

using System.Globalization;

namespace WebRtcChat.Bench;

/// <summary>
/// A Raspberry-Pi-sized budget for the server: one CPU (<c>taskset -c 0</c>) and 256 MB, enforced by the first of
/// these that works here: a systemd scope (<c>MemoryMax</c>), a memory cgroup of our own (v2 or v1, removed after),
/// or, failing both, only the GC's own limit (<c>DOTNET_GCHeapHardLimit</c>), which bounds the managed heap alone.
/// </summary>
internal sealed class PiBudget : IAsyncDisposable
{
    public const long Limit = 256L * 1024 * 1024;

    private readonly string? _cgroup; // a cgroup directory we made, or null
    private readonly bool _v2;

    private PiBudget(string how, IReadOnlyList<string> wrapper, IReadOnlyDictionary<string, string> environment, string? cgroup, bool v2)
    {
        (How, Wrapper, Environment, _cgroup, _v2) = (how, wrapper, environment, cgroup, v2);
    }

    /// <summary>Which mechanism enforces the budget, for the table.</summary>
    public string How { get; }

    /// <summary>The command the server is started through.</summary>
    public IReadOnlyList<string> Wrapper { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public static async Task<PiBudget> CreateAsync()
    {
        string[] pinned = ["taskset", "-c", "0"];
        if (await Exec.SucceedsAsync("systemd-run", "--scope", "--quiet", "-p", "MemoryMax=256M", "true"))
        {
            return new PiBudget("systemd-run --scope -p MemoryMax=256M", ["systemd-run", "--scope", "--quiet", "-p", "MemoryMax=256M", .. pinned],
                new Dictionary<string, string>(), null, false);
        }

        if (TryMakeCgroup(out var directory, out var v2))
        {
            var procs = Path.Combine(directory, "cgroup.procs");
            return new PiBudget($"a memory cgroup ({(v2 ? "v2, memory.max" : "v1, memory.limit_in_bytes")} = 256 MB)",
                ["sh", "-c", $"echo $$ > '{procs}' && exec \"$@\"", "sh", .. pinned], new Dictionary<string, string>(), directory, v2);
        }

        return new PiBudget("DOTNET_GCHeapHardLimit = 256 MB (no cgroup available: the managed heap alone is bounded)", pinned,
            new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = Limit.ToString("x", CultureInfo.InvariantCulture) }, null, false);
    }

    // A child of this process's own memory cgroup, with the limit set; false where cgroups are read-only or absent.
    private static bool TryMakeCgroup(out string directory, out bool v2)
    {
        (directory, v2) = ("", false);
        try
        {
            var lines = File.ReadAllLines("/proc/self/cgroup");
            var unified = File.Exists("/sys/fs/cgroup/cgroup.controllers")
                && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("memory");
            var name = "webrtcchat-bench-" + Guid.NewGuid().ToString("N")[..8];
            if (unified && lines.FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal)) is { } line)
            {
                directory = Path.Combine("/sys/fs/cgroup" + line[3..].TrimEnd('/'), name);
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, "memory.max"), Limit.ToString(CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(directory, "memory.swap.max"), "0");
                v2 = true;
                return true;
            }

            if (lines.Select(l => l.Split(':')).FirstOrDefault(f => f.Length == 3 && f[1].Split(',').Contains("memory")) is { } v1
                && Directory.Exists("/sys/fs/cgroup/memory"))
            {
                directory = Path.Combine("/sys/fs/cgroup/memory" + v1[2].TrimEnd('/'), name);
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, "memory.limit_in_bytes"), Limit.ToString(CultureInfo.InvariantCulture));
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (directory.Length > 0 && Directory.Exists(directory))
            {
                Directory.Delete(directory);
            }
        }

        return false;
    }

    /// <summary>The cgroup's peak memory (RSS and page cache charged to it), when there is a cgroup of ours.</summary>
    public long? CgroupPeak => _cgroup is null ? null
        : long.Parse(File.ReadAllText(Path.Combine(_cgroup, _v2 ? "memory.peak" : "memory.max_usage_in_bytes")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>How many times the kernel's OOM killer acted in the cgroup, when there is one of ours.</summary>
    public long? OomKills
    {
        get
        {
            if (_cgroup is null)
            {
                return null;
            }

            var file = Path.Combine(_cgroup, _v2 ? "memory.events" : "memory.oom_control");
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[9..], CultureInfo.InvariantCulture);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cgroup is null)
        {
            return;
        }

        // The server has been killed; its cgroup empties once it has exited (seconds, on a loaded machine), then goes.
        for (var i = 0; i < 600 && Directory.Exists(_cgroup); i++)
        {
            try
            {
                Directory.Delete(_cgroup);
            }
            catch (IOException)
            {
                await Task.Delay(100);
            }
        }
    }
}

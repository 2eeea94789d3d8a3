using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WebRtcChat.Tests.Infrastructure;

/// <summary>Which side of a call a network namespace belongs to.</summary>
public enum LabSide
{
    Host,
    Visitor,
}

/// <summary>How a home router translates addresses on its way out.</summary>
public enum LabNat
{
    /// <summary>Routes the LAN's addresses as they are, and lets anything in.</summary>
    None,

    /// <summary>nft <c>masquerade</c>: the same outside port for every destination; unsolicited inbound dropped.</summary>
    EndpointIndependent,

    /// <summary>nft <c>masquerade fully-random</c>: a new outside port per destination; unsolicited inbound dropped.</summary>
    Symmetric,
}

/// <summary>What a router lets out, on top of its NAT.</summary>
public enum LabFilter
{
    None,

    /// <summary>All UDP dropped, both ways.</summary>
    NoUdp,

    /// <summary>Only TCP to port 443 may leave, as in a hotel or an office.</summary>
    OnlyTcp443,

    /// <summary>TCP to and from port 443 is reset: the page's connection to the server drops, media (UDP) goes on.</summary>
    ResetHttps,
}

/// <summary>
/// A small internet in network namespaces, as root: an "internet" namespace with a bridge holding the TURN server
/// (<see cref="TurnAddress"/>) and the web server (<see cref="WebAddress"/>), and for each side of a call a home
/// router and a machine behind it. Documentation addresses only, IPv6 off, and no route to the machine's real
/// network. Every namespace (and with it every veth) is deleted on disposal; namespaces a crashed run left behind
/// are deleted at the next start.
/// </summary>
public sealed class NetworkLab : IAsyncDisposable
{
    public const string TurnAddress = "203.0.113.1";
    public const string WebAddress = "203.0.113.2";
    private const string Prefix = "wrclab-";

    private static readonly Dictionary<LabSide, (string Wan, string RouterLan, string Machine, string Subnet)> Addresses = new()
    {
        [LabSide.Host] = ("203.0.113.11", "198.51.100.1", "198.51.100.2", "198.51.100.0/25"),
        [LabSide.Visitor] = ("203.0.113.12", "198.51.100.129", "198.51.100.130", "198.51.100.128/25"),
    };

    private readonly string _id;
    private readonly List<string> _namespaces = [];

    private NetworkLab(string id)
    {
        _id = id;
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "webrtcchat-lab", id)).FullName;
    }

    /// <summary>Why the lab cannot be built on this machine, or null when it can.</summary>
    public static string? WhyNot { get; } = FindWhyNot();

    /// <summary>A folder for the lab's files (wrappers, certificates), deleted with it.</summary>
    public string Directory { get; }

    /// <summary>The namespace of the server and the TURN server.</summary>
    public string Internet => Name("inet");

    /// <summary>The namespace of one side's machine, where its browser runs.</summary>
    public string Machine(LabSide side) => Name(side == LabSide.Host ? "host" : "visitor");

    /// <summary>The address of one side's machine on its LAN (what a host candidate carries).</summary>
    public static string MachineAddress(LabSide side) => Addresses[side].Machine;

    private string Router(LabSide side) => Name(side == LabSide.Host ? "rhost" : "rvisitor");

    private string Name(string role) => $"{Prefix}{_id}-{role}";

    public static async Task<NetworkLab> CreateAsync()
    {
        if (WhyNot is not null)
        {
            throw new InvalidOperationException(WhyNot);
        }

        DeleteLeftovers();
        // The process id (so a later run knows whose leftovers these are) and a random part (ids repeat in containers).
        var lab = new NetworkLab($"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Random.Shared.Next(0x1000, 0xFFFF):x4}");
        try
        {
            lab.Build();
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    private void Build()
    {
        foreach (var ns in new[] { Internet, Router(LabSide.Host), Machine(LabSide.Host), Router(LabSide.Visitor), Machine(LabSide.Visitor) })
        {
            Run("ip", "netns", "add", ns);
            _namespaces.Add(ns);
            Run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            Run("ip", "-n", ns, "link", "set", "lo", "up");
        }

        Run("ip", "-n", Internet, "link", "add", "br0", "type", "bridge");
        Run("ip", "-n", Internet, "link", "set", "br0", "up");
        Run("ip", "-n", Internet, "addr", "add", TurnAddress + "/24", "dev", "br0");
        Run("ip", "-n", Internet, "addr", "add", WebAddress + "/24", "dev", "br0");
        Run("ip", "netns", "exec", Internet, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        foreach (var (side, (wan, routerLan, machine, subnet)) in Addresses)
        {
            var port = side == LabSide.Host ? "port-host" : "port-visitor";
            var router = Router(side);
            Run("ip", "link", "add", port, "netns", Internet, "type", "veth", "peer", "name", "wan", "netns", router);
            Run("ip", "-n", Internet, "link", "set", port, "master", "br0", "up");
            Run("ip", "link", "add", "lan", "netns", router, "type", "veth", "peer", "name", "eth0", "netns", Machine(side));
            Run("ip", "-n", router, "link", "set", "wan", "up");
            Run("ip", "-n", router, "link", "set", "lan", "up");
            Run("ip", "-n", router, "addr", "add", wan + "/24", "dev", "wan");
            Run("ip", "-n", router, "addr", "add", routerLan + "/25", "dev", "lan");
            Run("ip", "-n", router, "route", "add", "default", "via", TurnAddress);
            Run("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            Run("ip", "-n", Machine(side), "link", "set", "eth0", "up");
            Run("ip", "-n", Machine(side), "addr", "add", machine + "/25", "dev", "eth0");
            Run("ip", "-n", Machine(side), "route", "add", "default", "via", routerLan);
            // Without NAT the LAN is reachable from the internet as it is.
            Run("ip", "-n", Internet, "route", "add", subnet, "via", wan);
        }
    }

    /// <summary>Sets one side's router: its NAT and what it lets out. Replaces whatever was set before.</summary>
    public void SetRouter(LabSide side, LabNat nat, LabFilter filter = LabFilter.None)
    {
        var rules = new StringBuilder("flush ruleset\ntable ip lab {\n");
        rules.Append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
        if (filter == LabFilter.NoUdp)
        {
            rules.Append("    meta l4proto udp drop\n");
        }
        else if (filter == LabFilter.ResetHttps)
        {
            rules.Append("    tcp dport 443 reject with tcp reset\n    tcp sport 443 reject with tcp reset\n");
        }
        else if (filter == LabFilter.OnlyTcp443)
        {
            // Stateless: with "ct state new", a flow an earlier test left in conntrack (the same machine port to the same
            // TURN port) counts as established and its UDP goes out.
            rules.Append("    oifname \"wan\" meta l4proto != tcp drop\n");
            rules.Append("    oifname \"wan\" tcp dport != 443 drop\n");
        }

        if (nat != LabNat.None)
        {
            rules.Append("    iifname \"wan\" ct state new drop\n");
        }

        rules.Append("  }\n");
        if (nat != LabNat.None)
        {
            // As a home router's firewall: nothing unsolicited reaches the router itself either. Accepted, such a
            // packet would leave a translation behind that pushes the next outgoing flow onto another port.
            rules.Append("  chain input {\n    type filter hook input priority filter; policy accept;\n    iifname \"wan\" ct state new drop\n  }\n");
            rules.Append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
            rules.Append(nat == LabNat.Symmetric ? "    oifname \"wan\" masquerade fully-random\n" : "    oifname \"wan\" masquerade\n");
            rules.Append("  }\n");
        }

        rules.Append("}\n");
        var file = Path.Combine(Directory, $"router-{side}.nft");
        File.WriteAllText(file, rules.ToString());
        // Translations made under the old rules stay in conntrack, but no call reuses them: each opens new ports.
        Run("ip", "netns", "exec", Router(side), "nft", "-f", file);
    }

    /// <summary>Both routers back to plain routing, with nothing filtered.</summary>
    public void ResetRouters()
    {
        SetRouter(LabSide.Host, LabNat.None);
        SetRouter(LabSide.Visitor, LabNat.None);
    }

    /// <summary>Takes one side's link to its router down or up, as a lost Wi-Fi would.</summary>
    public void SetLink(LabSide side, bool up)
    {
        Run("ip", "-n", Machine(side), "link", "set", "eth0", up ? "up" : "down");
        if (up)
        {
            // a link that went down took its default route with it
            TryRun("ip", "-n", Machine(side), "route", "replace", "default", "via", Addresses[side].RouterLan);
        }
    }

    /// <summary>Gives one side's machine another address on its LAN, as a new DHCP lease would.</summary>
    public void SetMachineAddress(LabSide side, string address)
    {
        Run("ip", "-n", Machine(side), "addr", "flush", "dev", "eth0");
        Run("ip", "-n", Machine(side), "addr", "add", address + "/25", "dev", "eth0");
        Run("ip", "-n", Machine(side), "route", "replace", "default", "via", Addresses[side].RouterLan);
    }

    /// <summary>Both machines back to their own address, link up.</summary>
    public void ResetMachines()
    {
        foreach (var side in Enum.GetValues<LabSide>())
        {
            SetLink(side, up: true);
            SetMachineAddress(side, Addresses[side].Machine);
        }
    }

    /// <summary>A script that runs a program inside a namespace, for tools that take only an executable path.</summary>
    public string Wrapper(string ns, string program)
    {
        var path = Path.Combine(Directory, $"{ns}-{Path.GetFileName(program)}.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec ip netns exec {ns} {program} \"$@\"\n");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(WhyNot);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>The start info that runs a program inside a namespace.</summary>
    public static ProcessStartInfo InNamespace(string ns, string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", ns, program } };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Whether something inside the namespace accepts TCP connections on the address and port.</summary>
    public static bool Listens(string ns, string address, int port) =>
        TryRun("ip", "netns", "exec", ns, "bash", "-c", $"exec 3<>/dev/tcp/{address}/{port}");

    public ValueTask DisposeAsync()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            DeleteNamespace(ns);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a wrapper still held by a browser being torn down; the temp directory is cleaned by the OS
        }

        return ValueTask.CompletedTask;
    }

    private static void DeleteNamespace(string ns)
    {
        // Whatever still runs inside (a browser a failed test left) goes first, or the namespace lingers.
        var pids = Output("ip", "netns", "pids", ns);
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            TryRun("kill", "-9", pid);
        }

        TryRun("ip", "netns", "del", ns);
    }

    private static void DeleteLeftovers()
    {
        foreach (var line in Output("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var ns = line.Split(' ')[0];
            if (!ns.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var owner = ns[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, CultureInfo.InvariantCulture, out var pid) && (!IsRunning(pid) || pid == Environment.ProcessId))
            {
                DeleteNamespace(ns);
            }
        }
    }

    private static bool IsRunning(int pid) => System.IO.Directory.Exists($"/proc/{pid}");

    private static string? FindWhyNot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the network lab needs Linux network namespaces";
        }

        if (Output("id", "-u").Trim() != "0")
        {
            return "the network lab needs root (network namespaces, veth pairs, nftables): run ./test.sh as root, as CI does";
        }

        return TryRun("ip", "-V") && TryRun("nft", "--version") ? null : "the network lab needs ip (iproute2) and nft (nftables): ./test.sh installs them";
    }

    private static void Run(params string[] command)
    {
        var (code, output) = Execute(command);
        if (code != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({code}): {output}");
        }
    }

    private static bool TryRun(params string[] command) => Execute(command).Code == 0;

    private static string Output(params string[] command) => Execute(command).Output;

    private static (int Code, string Output) Execute(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message); // the program is not installed
        }
    }
}

#!/usr/bin/env bash
# Benchmark, not a test: what does a flood of connections from a banned address cost the server, and does it slow
# anyone else down? It starts the published server on 127.0.0.1, bans 127.0.0.2 (one request for /.env), then:
#   - times the visitor page from 127.0.0.1, alone;
#   - opens as many TCP connections from 127.0.0.2 as one Python loop can for a few seconds, and reads the server's
#     own CPU time (from /proc) before and after, giving the server's cost per refused connection;
#   - times the visitor page from 127.0.0.1 again while that flood runs.
# The flooding client shares the machine's cores with the server, so the latency under flood includes the client's
# own load. Loopback only; bounded in time; every process it starts is stopped.
# Usage: bench/banned-flood.sh [requests] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-200}
seconds=${2:-10}

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/webrtcchat.json" <<JSON
{ "Server": { "Port": $port, "ListenAddress": "127.0.0.1" },
  "Administrators": [ { "Name": "alice", "ConsolePath": "/desk-bench-0001" } ] }
JSON
dotnet publish WebRtcChat.Server -c Release -o "$work/server" --nologo -v quiet >/dev/null
dotnet "$work/server/WebRtcChat.Server.dll" --config "$work/webrtcchat.json" >"$work/server.log" 2>&1 &
server=$!
flooder=""
cleanup() { [ -n "$flooder" ] && kill "$flooder" 2>/dev/null; kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q "WebRtcChat is running" "$work/server.log" && break; sleep 0.2; done

url="https://127.0.0.1:$port/"
curl -sk --interface 127.0.0.2 -o /dev/null "${url}.env" || true   # a scanner path: banned at once
sleep 0.5

measure() { # p50 and p95 of the visitor page's total time from 127.0.0.1
  for _ in $(seq 1 "$requests"); do curl -sk -o /dev/null -w '%{time_total}\n' "$url"; done |
    sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "p50 %.1f ms  p95 %.1f ms  (n=%d)", t[int(NR*0.5)], t[int(NR*0.95)], NR }'
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }

echo "visitor page alone:              $(measure)"
before=$(cpu_ticks)
python3 - "$port" "$seconds" >"$work/flood.txt" <<'PY' &
import socket, sys, time
port, seconds = int(sys.argv[1]), float(sys.argv[2])
end, n = time.time() + seconds, 0
while time.time() < end:
    s = socket.socket()
    s.bind(("127.0.0.2", 0))
    try:
        s.connect(("127.0.0.1", port))
        s.recv(1)  # the server closes at once: no byte ever comes
    except OSError:
        pass
    s.close()
    n += 1
print(n)
PY
flooder=$!
sleep 1
echo "visitor page under the flood:    $(measure)"
wait "$flooder"; flooder=""
after=$(cpu_ticks)
connections=$(cat "$work/flood.txt")
hz=$(getconf CLK_TCK)
awk -v n="$connections" -v t="$((after - before))" -v hz="$hz" 'BEGIN {
  printf "banned connections refused:      %d, costing the server %.2f s of CPU in all (%.0f us each, page requests included)\n", n, t / hz, (t / hz) / n * 1e6 }'

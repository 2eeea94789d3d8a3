#!/usr/bin/env bash
# The small-server benchmark (not part of the tests): builds WebRtcChat as release.sh does and the .NET Blazor Server
# template the same way, measures both side by side, prints one table and writes the figures as JSON.
# Loopback only; everything it starts (servers, coturn, Chromium, a cgroup, temp files) is stopped and removed.
# Usage: bench/run.sh [--runs N] [--quick] [--only idle,visitors,call,flood,pi] [--json FILE]   (--help for more)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/WebRtcChat.Bench -c Release --nologo -v quiet >/dev/null
exec dotnet bench/WebRtcChat.Bench/bin/Release/net10.0/WebRtcChat.Bench.dll "$@"

#!/usr/bin/env bash
# Builds the release: dist/linux-x64 and dist/linux-arm64 (Raspberry Pi 4 and 5 on a 64-bit OS), each one
# self-contained executable, webrtcchat, with appconfig/ beside it. Needs the .NET 10 SDK; the result needs no .NET.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf dist
for rid in linux-x64 linux-arm64; do
  dotnet publish WebRtcChat.Server -p:PublishProfile="$rid" --nologo -v quiet
  echo "dist/$rid/webrtcchat: $(du -h "dist/$rid/webrtcchat" | cut -f1)"
done

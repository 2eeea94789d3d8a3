#!/usr/bin/env bash
# Runs the whole test suite on a Debian machine with the .NET 10 SDK: installs what the browser, TURN, fail2ban,
# service-unit, proxy and network-lab tests need when it is missing (Chromium, Firefox ESR, coturn, fail2ban,
# systemd-analyze, nginx, Caddy, iproute2, nftables),
# type-checks the JS modules, then runs every .NET test (unit, bUnit, HTTP, and end-to-end in Chromium through Playwright
# and in Firefox through WebDriver BiDi).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v turnserver >/dev/null 2>&1 || missing+=(coturn)
command -v fail2ban-regex >/dev/null 2>&1 || missing+=(fail2ban)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
if ((${#missing[@]})); then
  as_root=(env DEBIAN_FRONTEND=noninteractive)
  if [ "$(id -u)" -ne 0 ]; then as_root=(sudo "${as_root[@]}"); fi
  echo "Installing ${missing[*]} ..."
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  # The proxy tests start their own nginx and Caddy on loopback; the system services the packages may have started
  # (port 80) are not wanted, so those just installed are stopped again.
  for service in nginx caddy; do
    if [[ " ${missing[*]} " == *" $service "* ]]; then
      ("${as_root[@]}" systemctl disable --now "$service" || "${as_root[@]}" service "$service" stop) >/dev/null 2>&1 || true
    fi
  done
fi

echo "Type-checking wwwroot-js ..."
(cd wwwroot-js && npm ci --no-audit --no-fund --loglevel=error && npx --no-install tsc -p tsconfig.json && npx --no-install tsc -p worker/tsconfig.json)

if [ "$(id -u)" -ne 0 ]; then
  echo "Not root: the network-lab tests (NAT matrix, proxied calls) are skipped; run as root, as CI does, to include them."
fi

echo "Running the .NET tests ..."
log=$(mktemp)
set +e
dotnet test WebRtcChat.sln -c Release --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain closing line, as CI reads it.
summary=$(grep -E "^(Passed|Failed)!" "$log" | tail -1 || true)
passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: +([0-9]+).*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
rm -f "$log"
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"

#!/usr/bin/env bash
# Installs the Debian packages GridCoop needs when they are missing, so `npm start` and `npm test`
# work on a fresh Debian bookworm machine with nothing installed by hand.
#   - socat, mbpoll, python3-pymodbus (+ python3-serial and python3-serial-asyncio, which its server module imports): independent Modbus peers and serial pairs for interop tests
#   - rustc, cargo, wasm32 std, lld, binaryen, wabt, serde crates: building the CosmWasm contracts offline
#   - chromium (+ fonts-dejavu-core): the governance UI's browser tests, driven by Playwright (which downloads no browser)
#   - mosquitto, mosquitto-clients: the fleet's MQTT 5 broker (started by the tests and npm start, never as a service)
set -euo pipefail

want=(socat mbpoll python3-pymodbus python3-serial python3-serial-asyncio rustc cargo libstd-rust-dev-wasm32 lld-14 binaryen wabt
      librust-serde-dev librust-serde-derive-dev librust-serde-json-dev chromium fonts-dejavu-core
      mosquitto mosquitto-clients prometheus)  # prometheus: its promtool checks the controller's /metrics in a test

missing=()
for pkg in "${want[@]}"; do
  [ -z "$pkg" ] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

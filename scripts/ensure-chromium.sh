#!/usr/bin/env bash
# Ensure Debian's chromium is installed and print its binary path on stdout (all messages go to
# stderr). Used by the Web UI test, which drives it with playwright-core: playwright's own browser
# download is not used (it fetches from outside the package registries), Debian's build is.
# Recommends are skipped (udev, mesa, printing) except a font family, so pages render legibly.
# FLOWSTATE_CHROMIUM_BIN overrides the lookup.
set -euo pipefail

if [[ -n "${FLOWSTATE_CHROMIUM_BIN:-}" ]]; then
  if [[ ! -x "$FLOWSTATE_CHROMIUM_BIN" ]]; then
    echo "flowstate: FLOWSTATE_CHROMIUM_BIN=$FLOWSTATE_CHROMIUM_BIN is not an executable file; unset it to use Debian's chromium" >&2
    exit 1
  fi
  echo "$FLOWSTATE_CHROMIUM_BIN"
  exit 0
fi

bin=/usr/bin/chromium
if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "flowstate: $bin is missing and apt-get is not available: install Chromium and set FLOWSTATE_CHROMIUM_BIN to its binary" >&2
  exit 1
fi
sudo=()
if [[ "$(id -u)" != 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "flowstate: installing chromium needs root (or sudo); or set FLOWSTATE_CHROMIUM_BIN" >&2
    exit 1
  fi
  sudo=(sudo -n)
fi

echo "flowstate: installing Debian's chromium (apt-get update && apt-get install -y chromium), a few minutes the first time..." >&2
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation >&2

if [[ ! -x "$bin" ]]; then
  echo "flowstate: apt-get installed chromium but $bin is not there" >&2
  exit 1
fi
echo "flowstate: chromium installed in $(( $(date +%s) - start ))s: $bin" >&2
echo "$bin"

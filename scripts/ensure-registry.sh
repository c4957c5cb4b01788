#!/usr/bin/env bash
# Ensure the CNCF distribution registry (Debian package `docker-registry`) is installed and print
# its binary path on stdout (all messages go to stderr). Used by the real-server registry tests,
# which start the binary themselves on a free loopback port with a generated config: this script
# never starts (and never enables) the system service. FLOWSTATE_REGISTRY_BIN overrides the lookup.
set -euo pipefail

if [[ -n "${FLOWSTATE_REGISTRY_BIN:-}" ]]; then
  if [[ ! -x "$FLOWSTATE_REGISTRY_BIN" ]]; then
    echo "flowstate: FLOWSTATE_REGISTRY_BIN=$FLOWSTATE_REGISTRY_BIN is not an executable file; unset it to use Debian's docker-registry" >&2
    exit 1
  fi
  echo "$FLOWSTATE_REGISTRY_BIN"
  exit 0
fi

bin=/usr/bin/docker-registry
if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "flowstate: $bin is missing and apt-get is not available: install the CNCF distribution registry and set FLOWSTATE_REGISTRY_BIN to its binary" >&2
  exit 1
fi
sudo=()
if [[ "$(id -u)" != 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "flowstate: installing docker-registry needs root (or sudo)" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "flowstate: installing Debian's docker-registry (apt-get update && apt-get install -y docker-registry)..." >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101 tells invoke-rc.d not to start the service the package ships; we only want
# the binary. It is removed again whatever happens, and only if we created it.
created_policy=0
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
  "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [[ $created_policy == 1 ]]; then "${sudo[@]}" rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT
"${sudo[@]}" apt-get update >&2
"${sudo[@]}" apt-get install -y --no-install-recommends docker-registry >&2

if [[ ! -x "$bin" ]]; then
  echo "flowstate: apt-get installed docker-registry but $bin is not there" >&2
  exit 1
fi
echo "flowstate: docker-registry installed: $bin" >&2
echo "$bin"

#!/usr/bin/env bash
# Ensure the Temporal CLI exists and print its path on stdout (all messages go to stderr).
# Built once with `go install` into a versioned cache folder outside the repo, so every clone on
# this machine reuses it. TEMPORAL_CLI_PATH overrides the whole lookup.
set -euo pipefail

TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  if [[ ! -x "$TEMPORAL_CLI_PATH" ]]; then
    echo "flowstate: TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file; unset it to build the CLI" >&2
    exit 1
  fi
  echo "$TEMPORAL_CLI_PATH"
  exit 0
fi

cache_root="${FLOWSTATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flowstate}"
dir="$cache_root/temporal-cli-$TEMPORAL_CLI_VERSION"
bin="$dir/temporal"
if [[ -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "flowstate: the Temporal CLI is not built yet and 'go' is not on PATH: install Go 1.25+ (https://go.dev/doc/install) or set TEMPORAL_CLI_PATH to an existing temporal binary" >&2
  exit 1
fi

mkdir -p "$dir"
echo "flowstate: building the Temporal CLI $TEMPORAL_CLI_VERSION into $dir (a few minutes the first time)..." >&2
start=$(date +%s)
tmp="$(mktemp -d "$dir/.build.XXXXXX")"
# -s -w strips symbols and DWARF: about a third smaller, same behaviour.
if ! GOBIN="$tmp" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
  "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2; then
  rm -rf "$tmp"
  echo "flowstate: 'go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION' failed (output above)" >&2
  exit 1
fi
mv "$tmp/temporal" "$bin"   # atomic within one folder: a concurrent run never sees half a binary
rm -rf "$tmp"
echo "flowstate: Temporal CLI built in $(( $(date +%s) - start ))s: $bin" >&2
echo "$bin"

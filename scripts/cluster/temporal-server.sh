#!/usr/bin/env bash
# Ensure the Temporal server and its SQL schema tool exist and print their folder on stdout (all
# messages go to stderr). Built once with `go install` into a versioned cache folder outside the repo,
# like scripts/temporal-cli.sh, so every clone on this machine reuses it. The folder then holds
# `temporal-server`, `temporal-sql-tool`, and `schema/` (the PostgreSQL schemas of that version,
# copied from the Go module cache). TEMPORAL_SERVER_DIR overrides the whole lookup.
set -euo pipefail

TEMPORAL_SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
if [[ -n "${TEMPORAL_SERVER_DIR:-}" ]]; then
  if [[ ! -x "$TEMPORAL_SERVER_DIR/temporal-server" || ! -x "$TEMPORAL_SERVER_DIR/temporal-sql-tool" || ! -d "$TEMPORAL_SERVER_DIR/schema" ]]; then
    echo "flowstate: TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR must hold temporal-server, temporal-sql-tool and schema/; unset it to build them" >&2
    exit 1
  fi
  echo "$TEMPORAL_SERVER_DIR"
  exit 0
fi

cache_root="${FLOWSTATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/flowstate}"
dir="$cache_root/temporal-server-$TEMPORAL_SERVER_VERSION"
if [[ -x "$dir/temporal-server" && -x "$dir/temporal-sql-tool" && -d "$dir/schema" ]]; then
  echo "$dir"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "flowstate: the Temporal server is not built yet and 'go' is not on PATH: install Go 1.25+ (https://go.dev/doc/install) or set TEMPORAL_SERVER_DIR to a folder holding temporal-server, temporal-sql-tool and schema/" >&2
  exit 1
fi

mkdir -p "$dir"
start=$(date +%s)
if [[ ! -x "$dir/temporal-server" || ! -x "$dir/temporal-sql-tool" ]]; then
  echo "flowstate: building the Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool into $dir (5-10 minutes the first time)..." >&2
  tmp="$(mktemp -d "$dir/.build.XXXXXX")"
  # -s -w strips symbols and DWARF: about a third smaller, same behaviour. No cgo: the PostgreSQL
  # driver is pure Go.
  if ! GOBIN="$tmp" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" \
    "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2; then
    rm -rf "$tmp"
    echo "flowstate: 'go install go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION' failed (output above)" >&2
    exit 1
  fi
  # Atomic within one folder: a concurrent run never sees half a binary.
  mv "$tmp/sql" "$dir/temporal-sql-tool"
  mv "$tmp/server" "$dir/temporal-server"
  rm -rf "$tmp"
fi
# The schemas come with the module `go install` put in the module cache.
module="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
if [[ ! -d "$module/schema/postgresql/v12" ]]; then
  GOFLAGS=-mod=mod go mod download "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" >&2
fi
tmp="$(mktemp -d "$dir/.schema.XXXXXX")"
cp -r "$module/schema/postgresql" "$tmp/postgresql"
chmod -R u+w,a+rX "$tmp"
mv "$tmp" "$dir/schema"
echo "flowstate: Temporal server $TEMPORAL_SERVER_VERSION ready in $(( $(date +%s) - start ))s: $dir" >&2
echo "$dir"

#!/usr/bin/env bash
# npm run test:cluster: the integration suite on a PostgreSQL-backed Temporal cluster (services as
# separate processes), then the fault and load tests (test/cluster/), one file at a time. Builds the
# pinned server into ~/.cache/flowstate first when missing (minutes, once per machine). Extra
# arguments go to both jest runs (e.g. -t 'SIGKILL'). Every phase runs even when an earlier one
# failed (each says something of its own); the script fails when any phase did.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
echo "== Temporal server (cluster)"
bash scripts/cluster/temporal-server.sh >/dev/null
echo "   ready after $(( $(date +%s) - t0 ))s"
export FLOWSTATE_CLUSTER_OUT="${FLOWSTATE_CLUSTER_OUT:-$PWD/test-results/cluster}"
mkdir -p "$FLOWSTATE_CLUSTER_OUT"
t1=$(date +%s)
echo "== integration suite on the cluster"
status=0
node scripts/jest-scratch.mjs -c jest.cluster.config.js --selectProjects cluster-integration "$@" || { echo "   FAILED: the integration suite on the cluster"; status=1; }
t2=$(date +%s)
echo "   integration suite on the cluster: $(( t2 - t1 ))s"
echo "== fault and load tests on the cluster (figures in $FLOWSTATE_CLUSTER_OUT)"
node scripts/jest-scratch.mjs -c jest.cluster.config.js --selectProjects cluster --runInBand "$@" || { echo "   FAILED: the fault and load tests"; status=1; }
t3=$(date +%s)
echo "   fault and load tests: $(( t3 - t2 ))s"
echo "== test:cluster done in $(( t3 - t0 ))s (load: $(uptime | sed 's/.*load/load/'))"
exit "$status"

#!/usr/bin/env bash
# The e2e tier in SHAKEDOWN_E2E_SHARDS shards (1 or 2, default 2), each on a
# cluster of its own, side by side. The tier's time is the scenarios' scripted
# windows (load, faults, recovery deadlines), not CPU: on this tier's 2-CPU
# machines one cluster under test left half the CPU idle, and two halve the
# wall time. Shard n keeps its runs under its own state dir, so each finds its
# own results; SHAKEDOWN_E2E_SHARDS=1 runs everything on one cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
shards="${SHAKEDOWN_E2E_SHARDS:-2}"
case "$shards" in 1 | 2) ;; *) echo "SHAKEDOWN_E2E_SHARDS must be 1 or 2 (got $shards)" >&2; exit 2 ;; esac
base="${SHAKEDOWN_E2E_CLUSTER:-shakedown-e2e}"
results=.shakedown/test-results
mkdir -p "$results"
rm -f "$results"/e2e.json "$results"/e2e-[0-9].json

pids=()
for n in $(seq 1 "$shards"); do
  cluster="$base" state=.shakedown
  if [ "$n" -gt 1 ]; then cluster="$base-$n" state=".shakedown/e2e-$n"; fi
  (
    export SHAKEDOWN_E2E_SHARD="$n/$shards" SHAKEDOWN_E2E_CLUSTER="$cluster" SHAKEDOWN_STATE_DIR="$state"
    # Each line says which shard printed it; the exit status is vitest's (pipefail).
    node_modules/.bin/vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="$results/e2e-$n.json" 2>&1 | sed -u "s/^/[e2e $n] /"
  ) &
  pids+=("$!")
done
failed=0
for n in "${!pids[@]}"; do
  if ! wait "${pids[$n]}"; then
    echo "e2e shard $((n + 1)) of $shards failed" >&2
    failed=1
  fi
done
exit "$failed"

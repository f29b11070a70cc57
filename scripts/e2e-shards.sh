#!/usr/bin/env bash
# The e2e tier in SHAKEDOWN_E2E_SHARDS shards (1 or 2, default 2), each on a
# cluster of its own, side by side. The tier's time is the scenarios' scripted
# windows (load, faults, recovery deadlines), not CPU: on this tier's 2-CPU
# machines one cluster under test left half the CPU idle, and two halve the
# wall time. Shard n keeps its runs under its own state dir, so each finds its
# own results; SHAKEDOWN_E2E_SHARDS=1 runs everything on one cluster.
#
#   --then CMD   runs CMD (the CNI matrix, which boots clusters of its own) in
#                the slot the first shard to finish frees, rather than after
#                both, under a state dir of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
shards="${SHAKEDOWN_E2E_SHARDS:-2}"
then_cmd=""
if [ "${1:-}" = --then ]; then then_cmd="${2:?--then needs a command}"; fi
case "$shards" in 1 | 2) ;; *) echo "SHAKEDOWN_E2E_SHARDS must be 1 or 2 (got $shards)" >&2; exit 2 ;; esac
base="${SHAKEDOWN_E2E_CLUSTER:-shakedown-e2e}"
results=.shakedown/test-results
mkdir -p "$results"
rm -f "$results"/e2e.json "$results"/e2e-[0-9].json

declare -A label_of
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
  label_of[$!]="e2e shard $n of $shards"
done
failed=0
finished() { # pid status
  if [ "$2" != 0 ]; then
    echo "${label_of[$1]} failed" >&2
    failed=1
  fi
}
if [ -n "$then_cmd" ]; then
  status=0
  wait -n -p first "${pids[@]}" || status=$?
  finished "$first" "$status"
  running=()
  for pid in "${pids[@]}"; do [ "$pid" = "$first" ] || running+=("$pid"); done
  pids=(${running[@]+"${running[@]}"})
  (
    export SHAKEDOWN_STATE_DIR=.shakedown/e2e-then
    bash -c "$then_cmd" 2>&1 | sed -u "s/^/[then] /"
  ) &
  pids+=("$!")
  label_of[$!]="$then_cmd"
fi
for pid in ${pids[@]+"${pids[@]}"}; do
  status=0
  wait "$pid" || status=$?
  finished "$pid" "$status"
done
exit "$failed"

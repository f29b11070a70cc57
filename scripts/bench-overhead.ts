// Benchmark (not a test): harness overhead of a finished run, from its
// results.json: wall time minus the scenario's scripted time (load, fault
// windows beyond it, and the recovery actually waited), the cluster's boot
// and deletion excluded (a reused cluster has neither).
//   node scripts/bench-overhead.ts .shakedown/runs/<run id>/results.json
import { readFileSync } from 'node:fs';
import type { RunResult } from '../src/core/result.ts';

const result = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RunResult;
const span = (phase: string) => result.phases.filter((p) => p.phase === phase).reduce((sum, p) => sum + ((p.finishedAt ?? p.startedAt) - p.startedAt), 0);
const wall = result.finishedAt - result.startedAt;
/** How long the teardown's cluster deletion took: from the cleanup event before it to its own. */
function clusterDeletion(): number {
  const teardown = result.events.filter((e) => e.kind === 'cleanup' || (e.kind === 'phase' && e.phase === 'teardown' && e.status === 'started'));
  const at = teardown.findIndex((e) => e.kind === 'cleanup' && e.action.startsWith('delete cluster '));
  return at > 0 ? teardown[at]!.t - teardown[at - 1]!.t : 0;
}
const cluster = span('cluster') + clusterDeletion();
const scripted = span('faults') + span('recovery');
const overhead = wall - cluster - scripted;
const row = (name: string, ms: number) => console.log(`${name.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(7)} s`);
for (const phase of ['preflight', 'cluster', 'stack', 'steady-state', 'load', 'faults', 'recovery', 'teardown', 'report']) row(`  ${phase}`, span(phase));
row('wall', wall);
row('scripted (load+faults, recovery)', scripted);
row('cluster boot + deletion (excluded)', cluster);
row('overhead', overhead);
console.log(`overhead ${((overhead / scripted) * 100).toFixed(1)}% of scripted time (target < 5%); the stack deploy and its teardown are most of it`);

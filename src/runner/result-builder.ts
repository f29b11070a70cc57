// Folds the event history and the runner's records into one RunResult, and
// settles what the runner only learns at the end: how the faults still
// applied at teardown ended, and what the cluster was.
import type { ClusterHandle } from '../core/cluster.ts';
import type { AssertionRecord, FaultRecord, PhaseRecord, RunResult, SeriesPoint } from '../core/result.ts';
import type { Scenario } from '../scenario/model.ts';
import type { RunEvent, Verdict } from '../core/events.ts';
import type { RevertAction } from '../core/reverts.ts';

const HELD = ['ready:', 'desired:', 'pdb:', 'hpa:'];

export function buildResult(input: {
  runId: string;
  scenario: Scenario;
  startedAt: number;
  loadStartedAt?: number;
  verdict: Verdict;
  exitCode: number;
  error?: string;
  faults: FaultRecord[];
  assertions: AssertionRecord[];
  events: RunEvent[];
  cluster?: RunResult['cluster'];
  seed?: number;
}): RunResult {
  const phases: PhaseRecord[] = [];
  const series: Record<string, SeriesPoint[]> = {};
  for (const event of input.events) {
    if (event.kind === 'phase') {
      if (event.status === 'started') phases.push({ phase: event.phase, startedAt: event.t, status: 'running' });
      else {
        const open = phases.findLast((p) => p.phase === event.phase && p.status === 'running');
        const target = open ?? phases[phases.push({ phase: event.phase, startedAt: event.t, status: 'skipped' }) - 1]!;
        target.finishedAt = event.t;
        target.status = event.status === 'finished' ? 'passed' : event.status === 'failed' ? 'failed' : 'skipped';
        if (event.message) target.message = event.message;
      }
    } else if (event.kind === 'sample') {
      (series[event.series] ??= []).push({ t: event.t, v: event.value });
    }
  }
  // Watched counts are sampled on change only: they hold their value until
  // the next change, so carry the last one to the end of the run.
  const end = input.events.at(-1)?.t;
  for (const [name, points] of Object.entries(series)) {
    const last = points.at(-1);
    if (end !== undefined && last && last.t < end && HELD.some((prefix) => name.startsWith(prefix))) points.push({ t: end, v: last.v });
  }
  return {
    schemaVersion: 1,
    runId: input.runId,
    scenario: input.scenario.name,
    file: input.scenario.file,
    ...(input.scenario.description !== undefined && { description: input.scenario.description }),
    ...(input.cluster && { cluster: input.cluster }),
    startedAt: input.startedAt,
    finishedAt: Date.now(),
    ...(input.loadStartedAt !== undefined && { loadStartedAt: input.loadStartedAt }),
    verdict: input.verdict,
    exitCode: input.exitCode,
    ...(input.error !== undefined && { error: input.error }),
    ...(input.seed !== undefined && { seed: input.seed }),
    phases,
    faults: input.faults,
    assertions: input.assertions,
    series,
    events: input.events,
  };
}

/**
 * Faults still applied when the run ends (no set duration, or cut short)
 * are reverted by the teardown's unwind. `unwound` is the cleanup stack as
 * it was before that unwind, `events` what the bus saw during it: the unwind
 * reverts last-registered first and reports each revert with one cleanup
 * event, so the two pair up in order. Each such fault ends when its last
 * revert did, 'reverted', or 'failed' with the reverts' errors. Returns the
 * records it changed.
 */
export function settleAtTeardown(faults: Iterable<FaultRecord>, unwound: readonly RevertAction[], events: readonly RunEvent[]): FaultRecord[] {
  const cleanups = events.filter((e): e is CleanupEvent => e.kind === 'cleanup');
  const outcomes: Array<{ action: RevertAction; event: CleanupEvent }> = [];
  let next = 0;
  for (const action of [...unwound].reverse()) {
    // In step, skipping any cleanup event that is not this revert's.
    const at = cleanups.findIndex((e, i) => i >= next && e.action === action.description);
    if (at === -1) continue;
    outcomes.push({ action, event: cleanups[at]! });
    next = at + 1;
  }
  const settled: FaultRecord[] = [];
  for (const fault of faults) {
    if (fault.state !== 'active' && fault.state !== 'injecting') continue;
    const mine = outcomes.filter((o) => o.action.scope === fault.id);
    const failed = mine.filter((o) => !o.event.ok);
    const last = mine.at(-1);
    if (last) fault.endedAt = last.event.t;
    fault.state = failed.length ? 'failed' : 'reverted';
    const how = fault.duration === undefined ? 'applied to the end of the load, ' : '';
    fault.message = failed.length ? `${how}revert at teardown failed: ${failed.map((o) => `${o.action.description}: ${o.event.message ?? 'failed'}`).join('; ')}` : `${how}${mine.length ? 'reverted at teardown' : 'nothing left to revert'}`;
    settled.push(fault);
  }
  return settled;
}

type CleanupEvent = Extract<RunEvent, { kind: 'cleanup' }>;

/** How long the cluster may take to describe itself before the run goes on without it. */
const DESCRIBE_TIMEOUT_MS = 15_000;

/**
 * The cluster as the report shows it: provider and name always; Kubernetes
 * version, CNI and node count as the handle reports them. Never fails the
 * run: what cannot be read in time is left out.
 */
export async function describeCluster(handle: ClusterHandle, timeoutMs = DESCRIBE_TIMEOUT_MS): Promise<NonNullable<RunResult['cluster']>> {
  const base = { provider: handle.ref.provider, name: handle.ref.name };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const info = await Promise.race([handle.info().catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
  if (!info) return base;
  return {
    ...base,
    ...(info.cni && { cni: info.cni }),
    ...(info.kubernetesVersion && { kubernetesVersion: info.kubernetesVersion }),
    ...(info.nodes.length > 0 && { nodes: info.nodes.length }),
    ...(info.nodes.some((n) => n.kubeletVersion) && { kubelets: Object.fromEntries(info.nodes.flatMap((n) => (n.kubeletVersion ? [[n.name, n.kubeletVersion]] : []))) }),
  };
}

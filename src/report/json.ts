// results.json: the RunResult itself, pretty-printed with keys in the order
// the type declares them, whatever order the runner built the object in, so
// two runs diff cleanly and the file reads top-down (verdict before events).
import type { AssertionRecord, FaultRecord, PhaseRecord, RunResult } from '../core/result.ts';
import type { RunEvent } from '../core/events.ts';

const RESULT_KEYS = [
  'schemaVersion',
  'runId',
  'scenario',
  'file',
  'description',
  'cluster',
  'startedAt',
  'finishedAt',
  'loadStartedAt',
  'verdict',
  'exitCode',
  'error',
  'seed',
  'phases',
  'faults',
  'assertions',
  'series',
  'events',
] as const satisfies ReadonlyArray<keyof RunResult>;

const CLUSTER_KEYS = ['provider', 'name', 'cni', 'kubernetesVersion', 'nodes'] as const satisfies ReadonlyArray<keyof NonNullable<RunResult['cluster']>>;
const PHASE_KEYS = ['phase', 'startedAt', 'finishedAt', 'status', 'message'] as const satisfies ReadonlyArray<keyof PhaseRecord>;
const FAULT_KEYS = ['id', 'type', 'at', 'duration', 'startedAt', 'endedAt', 'state', 'message', 'details'] as const satisfies ReadonlyArray<keyof FaultRecord>;
const ASSERTION_KEYS = ['name', 'type', 'window', 'status', 'message', 'durationSeconds', 'details'] as const satisfies ReadonlyArray<keyof AssertionRecord>;

export function renderJson(result: RunResult): string {
  return `${JSON.stringify(orderResult(result), null, 2)}\n`;
}

/** A copy of result with every known object's keys in declaration order; unknown keys keep their place after. */
export function orderResult(result: RunResult): RunResult {
  const ordered = pick(result, RESULT_KEYS);
  if (result.cluster) ordered.cluster = pick(result.cluster, CLUSTER_KEYS);
  ordered.phases = result.phases.map((p) => pick(p, PHASE_KEYS));
  ordered.faults = result.faults.map((f) => pick(f, FAULT_KEYS));
  ordered.assertions = result.assertions.map((a) => pick(a, ASSERTION_KEYS));
  // Series names sort so the file is independent of sampling order.
  ordered.series = Object.fromEntries(
    Object.keys(result.series)
      .sort()
      .map((name) => [name, (result.series[name] ?? []).map((p) => ({ t: p.t, v: p.v }))]),
  );
  ordered.events = result.events.map(orderEvent);
  return ordered;
}

/** Events differ per kind; t and kind lead so every line of the log starts alike. */
function orderEvent(event: RunEvent): RunEvent {
  const { t, kind, ...rest } = event;
  return { t, kind, ...rest } as RunEvent;
}

function pick<T extends object>(source: T, keys: ReadonlyArray<keyof T>): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (source[key] !== undefined) out[key as string] = source[key];
  }
  for (const [key, value] of Object.entries(source)) {
    if (!(key in out) && value !== undefined) out[key] = value;
  }
  return out as T;
}

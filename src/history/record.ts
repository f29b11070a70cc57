// One line of the history file: what a night's run of one scenario showed,
// reduced to the figures worth trending. Built from a RunResult alone, so a
// results.json kept from any earlier run can be turned into history too.
import type { RunResult } from '../core/result.ts';

export const HISTORY_SCHEMA = 1;

export type RunVerdict = 'passed' | 'failed' | 'error' | 'interrupted';

export interface HistoryRecord {
  schemaVersion: typeof HISTORY_SCHEMA;
  scenario: string;
  runId: string;
  /** The suite run this run belonged to: its repeats share it, so "last night" is one batch. */
  batch: string;
  startedAt: number;
  wallTimeMs: number;
  verdict: RunVerdict;
  exitCode: number;
  /** One verdict per assertion per window. */
  assertions: Array<{ name: string; window: string; status: 'passed' | 'failed' | 'skipped' }>;
  /** recovered-within's time to recover, per fault window. */
  recovery: Array<{ window: string; timeToRecoverMs: number }>;
  /** availability's k6 figures, per fault window. */
  load: Array<{ window: string; errorRate: number; p95Ms: number; worst?: { errorRate: number; p95Ms: number; requests: number } }>;
  kubernetesVersion?: string;
  cni?: string;
  nodeImage?: string;
  /** The run's seed: `--seed` makes a night's choices again. */
  seed?: number;
  /** shakedown's git revision, or 'unknown'. */
  revision: string;
}

export interface RecordContext {
  batch: string;
  revision: string;
  nodeImage?: string;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function historyRecord(result: RunResult, context: RecordContext): HistoryRecord {
  const faultWindows = new Set(result.faults.map((f) => f.id));
  const recovery: HistoryRecord['recovery'] = [];
  const load: HistoryRecord['load'] = [];
  for (const a of result.assertions) {
    if (!faultWindows.has(a.window)) continue;
    const ttr = num(a.details?.timeToRecoverMs);
    if (a.type === 'recovered-within' && ttr !== undefined) recovery.push({ window: a.window, timeToRecoverMs: ttr });
    const p95Ms = num(a.details?.p95Ms);
    const errorRate = num(a.details?.errorRate);
    if (a.type === 'availability' && p95Ms !== undefined && errorRate !== undefined) {
      const w = a.details?.worstInterval as Record<string, unknown> | undefined;
      const worst = w && num(w.p95Ms) !== undefined && num(w.errorRate) !== undefined ? { errorRate: num(w.errorRate)!, p95Ms: num(w.p95Ms)!, requests: num(w.requests) ?? 0 } : undefined;
      load.push({ window: a.window, errorRate, p95Ms, ...(worst && { worst }) });
    }
  }
  return {
    schemaVersion: HISTORY_SCHEMA,
    scenario: result.scenario,
    runId: result.runId,
    batch: context.batch,
    startedAt: result.startedAt,
    wallTimeMs: result.finishedAt - result.startedAt,
    verdict: result.verdict === 'planned' ? 'error' : result.verdict,
    exitCode: result.exitCode,
    assertions: result.assertions.map((a) => ({ name: a.name, window: a.window, status: a.status })),
    recovery,
    load,
    ...(result.cluster?.kubernetesVersion && { kubernetesVersion: result.cluster.kubernetesVersion }),
    ...(result.cluster?.cni && { cni: result.cluster.cni }),
    ...(context.nodeImage && { nodeImage: context.nodeImage }),
    ...(result.seed !== undefined && { seed: result.seed }),
    revision: context.revision,
  };
}

/** The slowest recovery of the run, over its fault windows. */
export function worstRecoveryMs(record: HistoryRecord): number | undefined {
  return record.recovery.length ? Math.max(...record.recovery.map((r) => r.timeToRecoverMs)) : undefined;
}

/** The worst p95 of the run, over its fault windows. */
export function worstP95Ms(record: HistoryRecord): number | undefined {
  return record.load.length ? Math.max(...record.load.map((l) => l.p95Ms)) : undefined;
}

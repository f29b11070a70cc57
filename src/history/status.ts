// One status per scenario per night, judged against its history: what broke,
// what is new since last night, what is merely flaky, and what held but got
// slower. A regression is a held run whose recovery time or p95 is worse than
// the median of the recent held runs by more than a margin.
import type { HistoryRecord } from './record.ts';
import { overRepeats, type RepeatVerdict } from './repeats.ts';

export const DEFAULT_REGRESSION_MARGIN = 0.25;
/** How many earlier held runs make the baseline. */
export const BASELINE_RUNS = 7;

export interface Regression {
  metric: 'recovery' | 'p95';
  window: string;
  /** Tonight's value (the median over its repeats), ms. */
  valueMs: number;
  /** The median over the baseline runs, ms. */
  baselineMs: number;
  baselineRuns: number;
}

export type ScenarioStatus =
  | { kind: 'held'; repeats: RepeatVerdict }
  | { kind: 'regressed'; repeats: RepeatVerdict; regressions: Regression[] }
  | { kind: 'flaky'; repeats: Extract<RepeatVerdict, { kind: 'flaky' }> }
  | { kind: 'new-failure'; repeats: RepeatVerdict; lastHeldAt?: number }
  | { kind: 'known-failure'; repeats: RepeatVerdict; failingSince: number }
  | { kind: 'not-run'; reason: string };

export type StatusKind = ScenarioStatus['kind'];

export interface ClassifyInput {
  /** Tonight's runs of the scenario (its repeats). */
  tonight: HistoryRecord[];
  /** The scenario's earlier runs, any order; tonight's batch is left out. */
  past: HistoryRecord[];
  margin?: number;
  /** Set when the suite never ran the scenario (e.g. the cluster could not be brought back). */
  notRunReason?: string;
}

const judged = (r: HistoryRecord) => r.verdict === 'passed' || r.verdict === 'failed';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Earlier runs grouped by night (batch), newest first; only those that reached a verdict. */
function pastBatches(past: HistoryRecord[]): HistoryRecord[][] {
  const byBatch = new Map<string, HistoryRecord[]>();
  for (const r of [...past].filter(judged).sort((a, b) => b.startedAt - a.startedAt)) byBatch.set(r.batch, [...(byBatch.get(r.batch) ?? []), r]);
  return [...byBatch.values()];
}

export function classify(input: ClassifyInput): ScenarioStatus {
  if (input.notRunReason) return { kind: 'not-run', reason: input.notRunReason };
  const tonight = input.tonight.filter(judged);
  if (tonight.length === 0) {
    const seen = [...new Set(input.tonight.map((r) => r.verdict))];
    return { kind: 'not-run', reason: seen.length ? `no run reached a verdict (${seen.join(', ')})` : 'no run recorded' };
  }
  const repeats = overRepeats(tonight.map((r) => r.verdict === 'passed'));
  if (repeats.kind === 'flaky') return { kind: 'flaky', repeats };
  const batches = pastBatches(input.past);
  if (repeats.kind === 'failed') {
    // "Last time" is the last night that reached a verdict; a flaky night counts as failing.
    const failedRun = (batch: HistoryRecord[]) => batch.some((r) => r.verdict === 'failed');
    if (batches[0] && failedRun(batches[0])) {
      let since = batches[0];
      for (const batch of batches) {
        if (!failedRun(batch)) break;
        since = batch;
      }
      return { kind: 'known-failure', repeats, failingSince: Math.min(...since.map((r) => r.startedAt)) };
    }
    const lastHeld = batches[0]?.[0];
    return { kind: 'new-failure', repeats, ...(lastHeld && { lastHeldAt: lastHeld.startedAt }) };
  }
  const regressions = regressionsAgainst(tonight, input.past, input.margin ?? DEFAULT_REGRESSION_MARGIN);
  return regressions.length ? { kind: 'regressed', repeats, regressions } : { kind: 'held', repeats };
}

/** Per fault window: tonight's median recovery and p95 against the median of the last held runs. */
export function regressionsAgainst(tonight: HistoryRecord[], past: HistoryRecord[], margin: number): Regression[] {
  const baseline = past
    .filter((r) => r.verdict === 'passed')
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, BASELINE_RUNS);
  const series = (records: HistoryRecord[], metric: Regression['metric'], window: string) =>
    records.flatMap((r) => (metric === 'recovery' ? r.recovery.filter((x) => x.window === window).map((x) => x.timeToRecoverMs) : r.load.filter((x) => x.window === window).map((x) => x.p95Ms)));
  const windows = (metric: Regression['metric']) => [...new Set(tonight.flatMap((r) => (metric === 'recovery' ? r.recovery : r.load).map((x) => x.window)))];
  const out: Regression[] = [];
  for (const metric of ['recovery', 'p95'] as const) {
    for (const window of windows(metric)) {
      const before = series(baseline, metric, window);
      const now = series(tonight, metric, window);
      if (before.length === 0 || now.length === 0) continue;
      const baselineMs = median(before);
      const valueMs = median(now);
      // A zero baseline (nothing was disturbed) has no ratio to exceed.
      if (baselineMs > 0 && valueMs > baselineMs * (1 + margin)) out.push({ metric, window, valueMs, baselineMs, baselineRuns: before.length });
    }
  }
  return out;
}

export function describeStatus(status: ScenarioStatus): string {
  const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(0)} s` : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  switch (status.kind) {
    case 'held':
      return status.repeats.runs > 1 ? `held all ${status.repeats.runs} runs` : 'held';
    case 'regressed':
      return `held, but slower: ${status.regressions
        .map((r) => `${r.metric === 'recovery' ? 'recovery' : 'p95'} in ${r.window} ${ms(r.valueMs)} against a median of ${ms(r.baselineMs)} over ${r.baselineRuns} runs (+${Math.round((r.valueMs / r.baselineMs - 1) * 100)}%)`)
        .join('; ')}`;
    case 'flaky':
      return `flaky: held ${Math.round(status.repeats.passRate * status.repeats.runs)} of ${status.repeats.runs} runs (${Math.round(status.repeats.passRate * 100)}%)`;
    case 'new-failure':
      return status.lastHeldAt === undefined ? 'failed; no earlier run on record' : `failed; held last time (${day(status.lastHeldAt)})`;
    case 'known-failure':
      return `failed; failing since ${day(status.failingSince)}`;
    case 'not-run':
      return `not run: ${status.reason}`;
  }
}

// Human formatting shared by the Markdown and HTML reports, so both say the
// same thing in the same words.
import type { Verdict } from '../core/events.ts';
import type { AssertionRecord, Explanation, FaultRecord, RunResult } from '../core/result.ts';

const VERDICT_WORDS: Record<Verdict, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
  planned: 'PLANNED',
};

export function verdictWord(verdict: Verdict): string {
  return VERDICT_WORDS[verdict] ?? String(verdict).toUpperCase();
}

/** A failure's cause and fix as the lines every report prints under its message. */
export function explanationLines(explanation: Explanation | undefined): string[] {
  if (!explanation) return [];
  return [`why: ${explanation.cause}`, ...(explanation.fix ? [`fix: ${explanation.fix}`] : [])];
}

/** 850ms, 12.3s, 4m 05s, 1h 02m. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs === 0) return '0s';
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  if (abs < 60_000) {
    const s = abs / 1000;
    return `${sign}${s < 10 ? s.toFixed(1).replace(/\.0$/, '') : Math.round(s)}s`;
  }
  const totalSeconds = Math.round(abs / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${sign}${h}h ${String(m).padStart(2, '0')}m`;
  return `${sign}${m}m ${String(s).padStart(2, '0')}s`;
}

/** A signed offset from the timeline origin, e.g. +30s, -1m 10s. */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 0 ? formatDuration(ms) : ms === 0 ? '0s' : `+${formatDuration(ms)}`;
}

/** Seconds with a fixed precision, as CI tools and the event log expect. */
export function seconds(ms: number, digits = 3): string {
  return (Math.max(0, ms) / 1000).toFixed(digits);
}

export function isoTime(epochMs: number): string {
  const d = new Date(epochMs);
  return Number.isNaN(d.getTime()) ? String(epochMs) : d.toISOString();
}

/** The zero of every relative time in the reports: load start, else run start. */
export function timeOrigin(result: RunResult): number {
  return result.loadStartedAt ?? result.startedAt;
}

export function originLabel(result: RunResult): string {
  return result.loadStartedAt === undefined ? 'run start' : 'load start';
}

export function clusterLabel(result: RunResult): string {
  const c = result.cluster;
  if (!c) return 'no cluster';
  const extras = [c.kubernetesVersion && `Kubernetes ${c.kubernetesVersion}`, c.cni && `CNI ${c.cni}`, c.nodes === undefined ? undefined : `${c.nodes} node${c.nodes === 1 ? '' : 's'}`].filter((x): x is string => Boolean(x));
  return `${c.provider}/${c.name}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

export interface AssertionCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function countAssertions(assertions: readonly AssertionRecord[]): AssertionCounts {
  const counts = { total: assertions.length, passed: 0, failed: 0, skipped: 0 };
  for (const a of assertions) counts[a.status] += 1;
  return counts;
}

/** Windows in the order a run visits them: steady state, faults by schedule, recovery, then anything else. */
export function windowOrder(result: RunResult): string[] {
  const faults = [...result.faults].sort((a, b) => a.at - b.at).map((f) => f.id);
  const seen = new Set(result.assertions.map((a) => a.window));
  const ordered = ['steady-state', ...faults, 'recovery'].filter((w) => seen.has(w));
  const rest = [...seen].filter((w) => !ordered.includes(w));
  return [...ordered, ...rest];
}

/** Assertions grouped by window, windows in run order, assertions in their given order. */
export function assertionsByWindow(result: RunResult): Array<[string, AssertionRecord[]]> {
  return windowOrder(result).map((w) => [w, result.assertions.filter((a) => a.window === w)]);
}

/** When the fault actually ran, falling back to its schedule; end is undefined for instant faults. */
export function faultSpan(fault: FaultRecord, origin: number): { start: number; end?: number } {
  const start = fault.startedAt ?? origin + fault.at;
  const end = fault.endedAt ?? (fault.duration === undefined ? undefined : start + fault.duration);
  return end === undefined ? { start } : { start, end };
}

/**
 * The Duration column: the scripted duration; for a fault without one (it
 * stays applied to the end of the load, then is reverted), how long it really
 * lasted; 'instant' only for what was over within a second.
 */
export function faultDuration(fault: FaultRecord): string {
  if (fault.duration !== undefined) return formatDuration(fault.duration);
  if (fault.startedAt === undefined || fault.endedAt === undefined) return 'to end of load';
  const lasted = fault.endedAt - fault.startedAt;
  return lasted < 1000 ? 'instant' : `${formatDuration(lasted)}, open-ended`;
}

/** The command that makes a failed run's choices again, when its seed is known. */
export function replayCommand(result: Pick<RunResult, 'file' | 'seed' | 'verdict'>): string | undefined {
  if (result.seed === undefined || result.verdict !== 'failed') return undefined;
  return `shakedown run ${result.file} --seed ${result.seed}`;
}

// Recorded history for the unit tests: records built the way a night's run
// would leave them, with only the figures a test cares about spelled out.
import type { HistoryRecord } from '../../src/history/record.ts';

const DAY = 86_400_000;
/** 2025-06-01T02:00:00Z: night 0. */
export const NIGHT0 = Date.UTC(2025, 5, 1, 2, 0, 0);

export function night(n: number, verdict: HistoryRecord['verdict'], figures: { scenario?: string; repeat?: number; recoveryMs?: number; p95Ms?: number; window?: string } = {}): HistoryRecord {
  const window = figures.window ?? 'reclaim';
  const scenario = figures.scenario ?? 'spot-drain';
  const repeat = figures.repeat ?? 1;
  return {
    schemaVersion: 1,
    scenario,
    runId: `night${n}-${scenario}-${repeat}`,
    batch: `night${n}`,
    startedAt: NIGHT0 + n * DAY + repeat * 60_000,
    wallTimeMs: 90_000,
    verdict,
    exitCode: verdict === 'passed' ? 0 : verdict === 'failed' ? 1 : verdict === 'interrupted' ? 130 : 3,
    assertions: [{ name: 'recovered-within', window, status: verdict === 'failed' ? 'failed' : 'passed' }],
    recovery: figures.recoveryMs === undefined ? [] : [{ window, timeToRecoverMs: figures.recoveryMs }],
    load: figures.p95Ms === undefined ? [] : [{ window, errorRate: 0, p95Ms: figures.p95Ms }],
    kubernetesVersion: 'v1.35.0',
    cni: 'kube-router',
    revision: 'abc123',
  };
}

/** Seven held nights with steady figures: the baseline most tests judge against. */
export function steadyWeek(figures: { recoveryMs?: number; p95Ms?: number } = { recoveryMs: 20_000, p95Ms: 40 }): HistoryRecord[] {
  return Array.from({ length: 7 }, (_, i) => night(i, 'passed', figures));
}

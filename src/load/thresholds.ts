// The scenario's load.thresholds in k6's own convention: handed to k6 as
// its `thresholds` option (so k6 judges the whole run and exits 99 when one
// is crossed), and reported with the figures they were judged on.
import type { LoadSpecT } from '../scenario/schema.ts';
import type { WindowStats } from './metrics.ts';

export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** The figure measured over the whole load, in words. */
  observed: string;
}

/** k6's `thresholds` option for the scenario, or undefined when it sets none. */
export function k6Thresholds(load: LoadSpecT): Record<string, string[]> | undefined {
  const t = load.thresholds;
  if (!t || (t.errorRate === undefined && t.p95 === undefined)) return undefined;
  return {
    ...(t.errorRate !== undefined && { http_req_failed: [`rate<=${t.errorRate}`] }),
    ...(t.p95 !== undefined && { http_req_duration: [`p(95)<=${t.p95}`] }),
  };
}

/**
 * Each threshold against the whole load. k6's exit code is the authority on
 * whether one was crossed (`crossed`); the figures say by how much.
 */
export function judgeThresholds(load: LoadSpecT, stats: WindowStats, crossed: boolean): ThresholdResult[] {
  const t = k6Thresholds(load);
  if (!t) return [];
  const results: ThresholdResult[] = [];
  if (t.http_req_failed) {
    const ok = stats.requests > 0 && stats.errorRate <= load.thresholds!.errorRate!;
    results.push({ metric: 'http_req_failed', expression: t.http_req_failed[0]!, ok, observed: stats.requests ? `rate ${stats.errorRate.toFixed(4)} (${stats.failures} of ${stats.requests})` : 'no requests' });
  }
  if (t.http_req_duration) {
    const ok = stats.requests > 0 && stats.p95Ms <= load.thresholds!.p95!;
    results.push({ metric: 'http_req_duration', expression: t.http_req_duration[0]!, ok, observed: stats.requests ? `p(95) ${Math.round(stats.p95Ms)} ms` : 'no requests' });
  }
  // k6 said a threshold was crossed but our figures disagree (k6 counts what we cannot see): believe k6.
  if (crossed && results.every((r) => r.ok)) for (const r of results) r.ok = false;
  return results;
}

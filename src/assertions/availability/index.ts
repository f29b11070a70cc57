// availability: inside each fault window the load's error rate and p95
// latency stay within limits. A window in which no request completed is a
// failure, not a pass: silence proves nothing.
import { z } from 'zod';
import { duration, formatDuration } from '../../scenario/duration.ts';
import { sleep } from '../../runner/sleep.ts';
import type { WindowStats } from '../../load/metrics.ts';
import type { AssertionType, Outcome } from '../types.ts';

const Params = z.strictObject({
  maxErrorRate: z.number().min(0).max(1).default(0.01).describe('highest tolerated share of failed requests, 0..1'),
  p95: duration({ min: 1 }).prefault('1s').describe('highest tolerated 95th percentile latency'),
  minRequests: z.number().int().min(1).default(1).describe('fewer requests than this in a window is a failure'),
});
type Params = z.output<typeof Params>;

/** k6 writes its points every second; wait for the window's last ones. */
const SETTLE_MS = 2500;

export function judge(stats: WindowStats, params: Params): Outcome {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const details = { ...stats };
  if (stats.requests < params.minRequests) {
    return { status: 'failed', message: `k6 completed ${stats.requests} requests in this window (need at least ${params.minRequests}): no load, no proof`, details };
  }
  const problems: string[] = [];
  if (stats.errorRate > params.maxErrorRate) problems.push(`error rate ${pct(stats.errorRate)} (${stats.failures} of ${stats.requests} requests failed) is above ${pct(params.maxErrorRate)}`);
  if (stats.p95Ms > params.p95) problems.push(`p95 latency ${Math.round(stats.p95Ms)} ms is above ${formatDuration(params.p95)}`);
  if (problems.length) return { status: 'failed', message: problems.join('; '), details };
  return { status: 'passed', message: `${stats.requests} requests, ${pct(stats.errorRate)} errors, p95 ${Math.round(stats.p95Ms)} ms`, details };
}

export const availability: AssertionType<Params> = {
  type: 'availability',
  summary: 'k6 error rate and p95 latency within limits in every fault window',
  params: Params,
  requires: ['load'],
  describe: (p) => `error rate <= ${(p.maxErrorRate * 100).toFixed(1)}% and p95 <= ${formatDuration(p.p95)} in each fault window`,
  async start(ctx, params) {
    return {
      async judgeWindow(window): Promise<Outcome> {
        await sleep(SETTLE_MS, ctx.signal);
        if (!ctx.load) return { status: 'failed', message: 'no load was running during this window' };
        return judge(ctx.load.between(window.start, window.end), params);
      },
      async stop() {},
    };
  },
};

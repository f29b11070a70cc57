// availability: inside each fault window the load's error rate and p95
// latency stay within limits. A window in which no request completed is a
// failure, not a pass: silence proves nothing.
import { z } from 'zod';
import { duration, durationText } from '../../scenario/duration.ts';
import { sleep } from '../../core/abort.ts';
import type { LoadMetrics, WindowStats } from '../../load/metrics.ts';
import { worstInterval, type IntervalStats } from './worst-interval.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { watchWorkloads } from './workloads.ts';

const Params = z.strictObject({
  maxErrorRate: z.number().min(0).max(1).default(0.01).describe('highest tolerated share of failed requests, 0..1'),
  p95: duration({ min: 1 }).prefault('1s').describe('highest tolerated 95th percentile latency'),
  minRequests: z.number().int().min(1).default(1).describe('fewer requests than this in a window is a failure'),
  interval: duration({ min: 1000 }).prefault('10s').describe('length of the short intervals judged inside each window; the worst one is reported'),
  intervalMaxErrorRate: z.number().min(0).max(1).default(0.1).describe('highest tolerated share of failed requests in any one interval, 0..1'),
  intervalP95: duration({ min: 1 }).prefault('2s').describe('highest tolerated 95th percentile latency in any one interval'),
});
type Params = z.output<typeof Params>;

/** k6 writes its points every second; wait for the window's last ones. */
const SETTLE_MS = 2500;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The worst interval in words, with when it was (seconds into the window). */
function describeInterval(w: IntervalStats, windowStart: number): string {
  const at = `${Math.round((w.start - windowStart) / 1000)}-${Math.round((w.end - windowStart) / 1000)} s into the window`;
  if (w.requests === 0) return `no request completed ${at}`;
  return `worst ${durationText(w.end - w.start)} (${at}): ${pct(w.errorRate)} errors of ${w.requests} requests, p95 ${Math.round(w.p95Ms)} ms`;
}

/** The window as a whole, then its worst short interval. */
export function judgeWindow(load: LoadMetrics, window: { start: number; end: number }, params: Params): Outcome {
  const whole = judge(load.between(window.start, window.end), params);
  const worst = worstInterval(load, window.start, window.end, params.interval);
  if (!worst || whole.details?.requests === 0) return whole;
  const details = { ...whole.details, worstInterval: { ...worst, offsetMs: worst.start - window.start } };
  const problems: string[] = [];
  if (worst.requests === 0 || worst.errorRate > params.intervalMaxErrorRate) problems.push(`above ${pct(params.intervalMaxErrorRate)} errors`);
  if (worst.p95Ms > params.intervalP95) problems.push(`p95 above ${durationText(params.intervalP95)}`);
  const told = `${describeInterval(worst, window.start)}${problems.length ? ` (${problems.join(', ')})` : ''}`;
  if (problems.length) return { status: 'failed', message: `${whole.status === 'failed' ? `${whole.message}; ` : `whole window ${whole.message}, but `}${told}`, details };
  return { ...whole, message: `${whole.message}; ${told}`, details };
}

/** The window failed because k6 completed too few requests in it, not because they failed. */
export function noLoad(outcome: Outcome, params: Pick<Params, 'minRequests'>): boolean {
  return Number(outcome.details?.requests ?? 0) < params.minRequests;
}

export function judge(stats: WindowStats, params: Pick<Params, 'minRequests' | 'maxErrorRate' | 'p95'>): Outcome {
  const details = { ...stats };
  if (stats.requests < params.minRequests) {
    return { status: 'failed', message: `k6 completed ${stats.requests} requests in this window (need at least ${params.minRequests}): no load, no proof`, details };
  }
  const problems: string[] = [];
  if (stats.errorRate > params.maxErrorRate) problems.push(`error rate ${pct(stats.errorRate)} (${stats.failures} of ${stats.requests} requests failed) is above ${pct(params.maxErrorRate)}`);
  if (stats.p95Ms > params.p95) problems.push(`p95 latency ${Math.round(stats.p95Ms)} ms is above ${durationText(params.p95)}`);
  if (problems.length) return { status: 'failed', message: problems.join('; '), details };
  return { status: 'passed', message: `${stats.requests} requests, ${pct(stats.errorRate)} errors, p95 ${Math.round(stats.p95Ms)} ms`, details };
}

export const availability: AssertionType<Params> = {
  type: 'availability',
  summary: 'k6 error rate and p95 latency within limits in every fault window',
  params: Params,
  requires: ['load'],
  describe: (p) => `error rate <= ${pct(p.maxErrorRate)} and p95 <= ${durationText(p.p95)} in each fault window, and <= ${pct(p.intervalMaxErrorRate)} errors and p95 <= ${durationText(p.intervalP95)} in its worst ${durationText(p.interval)}`,
  async start(ctx, params) {
    const workloads = await watchWorkloads(ctx);
    return {
      async judgeWindow(window): Promise<Outcome> {
        await sleep(SETTLE_MS, ctx.signal);
        if (!ctx.load) return { status: 'failed', message: 'no load was running during this window' };
        const outcome = judgeWindow(ctx.load, window, params);
        // No load is the harness's failure, not the workload's: nothing of the stack to explain.
        // The workloads' own story first; else a hop of the load path the stack's policies cut.
        const explanation = outcome.status === 'failed' && !noLoad(outcome, params) ? ((await workloads.explain(window)) ?? ctx.pathCuts?.[0]) : undefined;
        return explanation ? { ...outcome, explanation } : outcome;
      },
      stop: () => workloads.stop(),
    };
  },
};

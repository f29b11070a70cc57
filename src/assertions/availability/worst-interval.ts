// The worst short interval inside a fault window: a 10 s outage must not
// vanish into a 4-minute mean. Pure over the load's per-window statistics.
import type { LoadMetrics, WindowStats } from '../../load/metrics.ts';

export interface IntervalStats extends WindowStats {
  start: number;
  end: number;
}

/** How much worse one interval is than another: errors first, then latency. */
function badness(s: WindowStats): [number, number] {
  // An interval in which nothing completed is as bad as all failing.
  return [s.requests === 0 ? 1 : s.errorRate, Number.isNaN(s.p95Ms) ? Infinity : s.p95Ms];
}

function worseThan(a: WindowStats, b: WindowStats): boolean {
  const [ea, la] = badness(a);
  const [eb, lb] = badness(b);
  return ea !== eb ? ea > eb : la > lb;
}

/**
 * Every `length`-long interval in [start, end], one second apart, and the
 * worst of them. A window shorter than `length` is one interval.
 */
export function worstInterval(load: LoadMetrics, start: number, end: number, length: number, stepMs = 1000): IntervalStats | undefined {
  if (end <= start) return undefined;
  let worst: IntervalStats | undefined;
  const lastStart = Math.max(start, end - length);
  for (let s = start; s <= lastStart; s += stepMs) {
    const e = Math.min(end, s + length);
    const stats = { ...load.between(s, e), start: s, end: e };
    if (!worst || worseThan(stats, worst)) worst = stats;
  }
  return worst;
}

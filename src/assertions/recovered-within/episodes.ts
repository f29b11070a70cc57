// Time to recover, per disruption: from the moment a fault hit the workload
// (first eviction, node stopped, pods deleted, nodes cut off) until every
// watched deployment was fully ready again. Pure: fed the stack's health as
// it changed, asked about a moment.

/** A health change: the stack went fully ready (true) or fell short (false). */
export interface HealthChange {
  t: number;
  healthy: boolean;
}

/** How long after a hit the watches may take to show its effect. */
export const EFFECT_WITHIN_MS = 10_000;

export type Recovery =
  /** The stack never fell short after the hit: nothing ready was lost. */
  | { state: 'undisturbed' }
  | { state: 'recovered'; at: number; afterMs: number }
  | { state: 'recovering'; since: number }
  /** Too soon after the hit to tell whether it cost anything. */
  | { state: 'pending' };

/** Keeps the health history and answers, for any hit, when the stack was whole again. */
export class HealthLog {
  readonly changes: HealthChange[] = [];

  record(t: number, healthy: boolean): void {
    const last = this.changes.at(-1);
    if (last?.healthy === healthy) return;
    this.changes.push({ t, healthy });
  }

  healthyAt(t: number): boolean | undefined {
    return this.changes.findLast((c) => c.t <= t)?.healthy;
  }

  /**
   * The hit counts from `hit`. The stack must have fallen short within
   * EFFECT_WITHIN_MS of it (or been short already) for it to count as
   * disturbed; it has recovered at the first moment after that it was whole.
   */
  recoveryAfter(hit: number, now: number): Recovery {
    const shortAtHit = this.healthyAt(hit) === false;
    const fell = shortAtHit ? { t: hit } : this.changes.find((c) => !c.healthy && c.t >= hit && c.t <= hit + EFFECT_WITHIN_MS);
    if (!fell) return now >= hit + EFFECT_WITHIN_MS ? { state: 'undisturbed' } : { state: 'pending' };
    const back = this.changes.find((c) => c.healthy && c.t > fell.t);
    return back ? { state: 'recovered', at: back.t, afterMs: back.t - hit } : { state: 'recovering', since: fell.t };
  }
}

/** A hit in words: "the first eviction", "node stopped". */
export function describeHit(kind: string): string {
  switch (kind) {
    case 'pods-evicted':
      return 'the first eviction';
    case 'pods-deleted':
      return 'pods were deleted';
    case 'nodes-stopped':
      return 'the node stopped';
    case 'nodes-cut-off':
      return 'the partition';
    case 'traffic-degraded':
      return 'packets were dropped';
    case 'resources-pressed':
      return 'the pressure began';
    case 'control-plane-unreachable':
      return 'the control plane became unreachable';
    default:
      return kind;
  }
}

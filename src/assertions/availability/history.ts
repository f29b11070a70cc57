// What the stack's workloads did during the run, kept small: each
// Deployment's serving pods whenever that count changes, and which node each
// pod ran on, from when to when. availability reads it when a window fails.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { isHealthy, podsOf } from '../shared/pods.ts';

export interface ReadyPoint {
  t: number;
  /** Pods that can serve: Ready, not terminating, not on a node that is down. */
  ready: number;
  /** spec.replicas at the time. */
  desired: number;
}

export interface Placement {
  labels: Record<string, string>;
  node: string;
  from: number;
  /** When it was first seen terminating, or gone. */
  until?: number;
}

export class WorkloadLog {
  readonly #ready = new Map<string, ReadyPoint[]>();
  readonly #placements = new Map<string, Placement>();

  /**
   * The workloads as the watches see them at `t`. A pod on a node that is
   * down serves nothing, though the API may still say Ready for a while.
   */
  record(t: number, deployments: V1Deployment[], pods: V1Pod[], isDown: (node: string) => boolean): void {
    this.#place(t, pods);
    const serving = (p: V1Pod) => isHealthy(p) && !(p.spec?.nodeName && isDown(p.spec.nodeName));
    for (const d of deployments) {
      const point = { t, ready: podsOf(d, pods).filter(serving).length, desired: d.spec?.replicas ?? 1 };
      const name = d.metadata?.name ?? '';
      let series = this.#ready.get(name);
      if (!series) this.#ready.set(name, (series = []));
      const last = series.at(-1);
      // Only changes: a run's worth of them stays small.
      if (!last || last.ready !== point.ready || last.desired !== point.desired) series.push(point);
    }
  }

  /** The deployment's serving pods over time, one point per change. */
  readySeries(deployment: string): ReadyPoint[] {
    return this.#ready.get(deployment) ?? [];
  }

  /** Pods that were on a node, and not on their way out, at `t`. */
  podsAt(t: number): Placement[] {
    return [...this.#placements.values()].filter((p) => p.from <= t && (p.until === undefined || p.until > t));
  }

  #place(t: number, pods: V1Pod[]): void {
    const present = new Set<string>();
    for (const pod of pods) {
      const key = pod.metadata?.uid ?? pod.metadata?.name ?? '';
      present.add(key);
      const known = this.#placements.get(key);
      const leaving = pod.metadata?.deletionTimestamp !== undefined;
      if (!known && pod.spec?.nodeName && !leaving) this.#placements.set(key, { labels: pod.metadata?.labels ?? {}, node: pod.spec.nodeName, from: t });
      else if (known && known.until === undefined && leaving) known.until = t;
    }
    for (const [key, placement] of this.#placements) if (placement.until === undefined && !present.has(key)) placement.until = t;
  }
}

// PodDisruptionBudget accounting as the disruption controller and the
// Eviction API do it (pkg/controller/disruption, pkg/registry/core/pod/
// storage/eviction.go), over pod states the simulated drain changes, so a
// budget spent on one node is still spent on the next.
import { podKey, workloadKey, type BudgetInfo, type PodInfo, type WorkloadInfo } from './model.ts';
import { selects } from '../core/label-selector.ts';

/**
 * ready: counts as healthy. starting: placed after an eviction, not Ready yet
 * (a drain waits for it). unready: was not Ready before the upgrade either.
 * pending: has no node. gone: deleted for good (no controller recreates it).
 */
export type PodState = 'ready' | 'starting' | 'unready' | 'pending' | 'gone';

export type EvictionVerdict =
  | { allowed: true; budget?: BudgetInfo }
  | { allowed: false; cause: 'two-budgets'; budgets: BudgetInfo[]; message: string }
  | { allowed: false; cause: 'budget'; budget: BudgetInfo; healthy: number; desired: number; message: string };

export function budgetKey(budget: BudgetInfo): string {
  return `${budget.namespace}/${budget.name}`;
}

/** What a budget asks for, in words: "minAvailable 50%". */
export function budgetRule(budget: BudgetInfo): string {
  if (budget.maxUnavailable !== undefined) return `maxUnavailable ${budget.maxUnavailable}`;
  if (budget.minAvailable !== undefined) return `minAvailable ${budget.minAvailable}`;
  return 'no minAvailable or maxUnavailable';
}

function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  if (percent) return Math.ceil((Number(percent[1]) * total) / 100);
  const number = Number(value);
  return Number.isFinite(number) ? number : NaN;
}

export class BudgetLedger {
  readonly budgets: BudgetInfo[];
  readonly #podsOf = new Map<string, PodInfo[]>();
  readonly #budgetsOf = new Map<string, BudgetInfo[]>();
  readonly #desired = new Map<string, { desired: number; expected: number; unknownController: boolean }>();
  readonly #state: (pod: PodInfo) => PodState;

  constructor(budgets: BudgetInfo[], pods: PodInfo[], workloads: WorkloadInfo[], state: (pod: PodInfo) => PodState) {
    this.budgets = budgets;
    this.#state = state;
    const replicas = new Map(workloads.map((w) => [workloadKey(w.namespace, w), w.replicas]));
    const byNamespace = new Map<string, PodInfo[]>();
    for (const pod of pods) {
      const list = byNamespace.get(pod.namespace);
      if (list) list.push(pod);
      else byNamespace.set(pod.namespace, [pod]);
    }
    for (const budget of budgets) {
      // policy/v1: a budget without a selector selects nothing; an empty one, the whole namespace.
      const selected = budget.selector ? (byNamespace.get(budget.namespace) ?? []).filter((p) => selects(budget.selector!, p.labels)) : [];
      this.#podsOf.set(budgetKey(budget), selected);
      for (const pod of selected) {
        const list = this.#budgetsOf.get(pod.uid);
        if (list) list.push(budget);
        else this.#budgetsOf.set(pod.uid, [budget]);
      }
      this.#desired.set(budgetKey(budget), desiredHealthy(budget, selected, replicas));
    }
  }

  budgetsOf(pod: PodInfo): BudgetInfo[] {
    return this.#budgetsOf.get(pod.uid) ?? [];
  }

  podsOf(budget: BudgetInfo): PodInfo[] {
    return this.#podsOf.get(budgetKey(budget)) ?? [];
  }

  /** desired: healthy pods the budget insists on; expected: the pods it protects (controllers' replicas). */
  target(budget: BudgetInfo): { desired: number; expected: number; unknownController: boolean } {
    return this.#desired.get(budgetKey(budget))!;
  }

  healthy(budget: BudgetInfo): number {
    let healthy = 0;
    for (const pod of this.podsOf(budget)) if (this.#state(pod) === 'ready') healthy++;
    return healthy;
  }

  disruptionsAllowed(budget: BudgetInfo): number {
    return Math.max(0, this.healthy(budget) - this.target(budget).desired);
  }

  /** Would the Eviction API let this pod go now? */
  check(pod: PodInfo): EvictionVerdict {
    const budgets = this.budgetsOf(pod);
    if (budgets.length > 1) {
      return { allowed: false, cause: 'two-budgets', budgets, message: `it is under ${budgets.length} budgets (${budgets.map(budgetKey).join(', ')}); the Eviction API refuses a pod under more than one` };
    }
    const budget = budgets[0];
    if (!budget) return { allowed: true };
    const healthy = this.healthy(budget);
    const { desired, unknownController } = this.target(budget);
    const ready = this.#state(pod) === 'ready';
    // An unready pod costs the budget nothing: it may go while the budget is met (IfHealthyBudget) or always (AlwaysAllow).
    const allowed = ready ? healthy - desired > 0 : budget.unhealthyPodEvictionPolicy === 'AlwaysAllow' || (healthy >= desired && (desired > 0 || healthy > 0));
    if (allowed) return { allowed: true, budget };
    const keeps = `${budgetRule(budget)} keeps ${desired} of ${this.target(budget).expected}`;
    const why = unknownController
      ? `its pods' controllers are unknown, so ${budgetRule(budget)} cannot be counted and no disruption is allowed`
      : ready
        ? `evicting it would leave ${healthy - 1} healthy, and ${keeps}`
        : `only ${healthy} ${healthy === 1 ? 'is' : 'are'} healthy, and ${keeps}, so not even an unready pod may go`;
    return { allowed: false, cause: 'budget', budget, healthy, desired, message: `budget ${budgetKey(budget)} allows no disruption: ${why}` };
  }

  /** The budget's pods that are not healthy now, and their states. */
  unhealthy(budget: BudgetInfo): Array<{ pod: PodInfo; state: PodState }> {
    return this.podsOf(budget)
      .map((pod) => ({ pod, state: this.#state(pod) }))
      .filter((p) => p.state !== 'ready')
      .sort((a, b) => podKey(a.pod).localeCompare(podKey(b.pod)));
  }
}

/**
 * The disruption controller's arithmetic: an integer minAvailable counts the
 * selected pods; a percentage or maxUnavailable counts the replicas their
 * controllers ask for (and allows nothing when a controller is unknown).
 */
function desiredHealthy(budget: BudgetInfo, pods: PodInfo[], replicas: Map<string, number>): { desired: number; expected: number; unknownController: boolean } {
  const needsScale = budget.maxUnavailable !== undefined || typeof budget.minAvailable === 'string';
  let expected = pods.length;
  let unknownController = false;
  if (needsScale) {
    const workloads = new Set<string>();
    for (const pod of pods) {
      const key = pod.workload && workloadKey(pod.namespace, pod.workload);
      if (key && replicas.has(key)) workloads.add(key);
      else unknownController = true;
    }
    if (unknownController && budget.expectedPods !== undefined) {
      expected = budget.expectedPods;
      unknownController = false;
    } else {
      expected = [...workloads].reduce((sum, key) => sum + replicas.get(key)!, 0);
    }
  }
  if (unknownController) return { desired: Number.POSITIVE_INFINITY, expected, unknownController };
  if (budget.maxUnavailable !== undefined) return { desired: Math.max(0, expected - scaled(budget.maxUnavailable, expected)), expected, unknownController };
  if (budget.minAvailable !== undefined) return { desired: scaled(budget.minAvailable, expected), expected, unknownController };
  return { desired: 0, expected, unknownController };
}

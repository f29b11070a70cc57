// Why pdb-held failed, in the stack's own objects: the budget a deployment
// lacks, the budget whose selector misses it, the pods under two budgets,
// or the fault that took pods past the Eviction API. Each is said only when
// the objects and the disruption record establish it; otherwise the
// verdict's message stands alone. availability reuses the budget wording.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Impact } from '../../core/disruptions.ts';
import type { Explanation } from '../../core/result.ts';
import { matchesSelector, selectorText } from '../shared/pods.ts';
import { type Coverage, MULTIPLE_BUDGETS_REFUSAL } from '../shared/budgets.ts';
import { andMore, budgetLabels, deploymentRef, noBudget } from '../shared/explain-text.ts';
import { meantFor, selectsNothing } from './stray.ts';
import { matchLabelsYaml } from '../../core/label-selector.ts';

export interface Violation {
  t: number;
  deployment: string;
  healthy: number;
  floor: number;
  budget?: string;
}

/** A pod as the watch last saw it: after it is gone, whose it was and where it ran. */
export interface SeenPod {
  labels?: Record<string, string>;
  node?: string;
  /** When it was first seen terminating, or gone. */
  leftAt?: number;
}

/** Pods by namespace/name, the key faults report them by. */
export function rememberPod(seen: Map<string, SeenPod>, pod: V1Pod, verb: 'add' | 'update' | 'delete', namespace: string, t: number): void {
  const key = `${pod.metadata?.namespace ?? namespace}/${pod.metadata?.name ?? ''}`;
  const leaving = verb === 'delete' || pod.metadata?.deletionTimestamp !== undefined;
  const leftAt = seen.get(key)?.leftAt ?? (leaving ? t : undefined);
  seen.set(key, { labels: pod.metadata?.labels ?? {}, ...(pod.spec?.nodeName && { node: pod.spec.nodeName }), ...(leftAt !== undefined && { leftAt }) });
}

/** The deepest a deployment fell among these violations. */
export function deepest(violations: Violation[], deployment: string): Violation | undefined {
  return violations.filter((v) => v.deployment === deployment).reduce<Violation | undefined>((a, b) => (!a || b.healthy < a.healthy ? b : a), undefined);
}

const labelsText = (labels: Record<string, string>) => selectorText({ matchLabels: labels });
const pods = (n: number) => `${n} healthy pod${n === 1 ? '' : 's'}`;
const andList = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
const fewOf = (names: string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '));

/** A budget that selects nothing, and the deployment it was written for. */
export function misaimedBudget(budget: V1PodDisruptionBudget, deployment: V1Deployment, namespace: string): Explanation {
  const labels = budgetLabels(deployment);
  const target = deploymentRef(deployment, namespace);
  return {
    cause: `${selectsNothing(budget)}: it was probably meant for ${target} (pod labels ${labelsText(labels)}), which no budget covers`,
    fix: `set spec.selector of PodDisruptionBudget ${namespace}/${budget.metadata?.name ?? ''} to matchLabels ${matchLabelsYaml(labels)} (${target}'s pod labels)`,
  };
}

/** A deployment without a budget: the stray budget meant for it when there is one (the typo to fix), else the budget to add. */
export function uncovered(deployment: V1Deployment, unbudgeted: V1Deployment[], stray: V1PodDisruptionBudget[], namespace: string): Explanation {
  const typo = stray.find((b) => meantFor(b, unbudgeted) === deployment);
  return typo ? misaimedBudget(typo, deployment, namespace) : noBudget(deployment, namespace);
}

/** Pods under two or more budgets: the Eviction API refuses each of them. */
export function sharedBudgets(deployment: V1Deployment, coverage: Coverage, v: Violation, namespace: string): Explanation {
  const { budgets } = coverage;
  return {
    cause: `${deploymentRef(deployment, namespace)}'s pods are under ${budgets.length} PodDisruptionBudgets (${budgets.join(', ')}), and the Eviction API refuses to evict such a pod ("${MULTIPLE_BUDGETS_REFUSAL}"); it fell to ${pods(v.healthy)} against the stricter floor, ${v.floor} (${v.budget})`,
    fix: `merge PodDisruptionBudgets ${andList(budgets)} or narrow ${budgets.length === 2 ? "one's selector" : 'their selectors'} so each pod has one`,
  };
}

/** A fault reports a deletion after it is made: the watch may see the pod go a moment before. */
const REPORT_LAG_MS = 5000;

const OUTSIDE_EVICTIONS = {
  'pods-deleted': (nodes: string) => `deleted its pods directly${nodes ? ` on ${nodes}` : ''}`,
  'nodes-stopped': (nodes: string) => `stopped node ${nodes}, with its pods on it`,
  'nodes-cut-off': (nodes: string) => `cut node ${nodes} off the network, with its pods on it`,
} as const;

/** Whether this fault's disruption took the pod without the Eviction API: deleted by name, or on a node that went while the pod was still there. */
function tookPod(impact: Impact, key: string, pod: SeenPod): boolean {
  const d = impact.disruption;
  if (d.kind === 'pods-deleted') return d.pods.includes(key);
  if (d.kind !== 'nodes-stopped' && d.kind !== 'nodes-cut-off') return false;
  return pod.node !== undefined && d.nodes.includes(pod.node) && (pod.leftAt === undefined || pod.leftAt >= impact.t);
}

/** The first disruption between `from` and `to` that took the deployment's pods outside the Eviction API, with the pods it took. */
export function removedOutsideEvictions(deployment: V1Deployment, impacts: Impact[], seen: ReadonlyMap<string, SeenPod>, from: number, to: number): { impact: Impact; pods: string[] } | undefined {
  const mine = [...seen].filter(([, p]) => matchesSelector(p.labels, deployment.spec?.selector));
  for (const impact of impacts) {
    if (impact.t < from || impact.t > to) continue;
    const taken = mine.filter(([key, p]) => tookPod(impact, key, p)).map(([key]) => key);
    if (taken.length) return { impact, pods: taken };
  }
  return undefined;
}

function outsideEvictions(deployment: V1Deployment, v: Violation, removal: { impact: Impact; pods: string[] }, namespace: string): Explanation {
  const d = removal.impact.disruption;
  const nodes = 'nodes' in d && d.nodes ? d.nodes.join(', ') : '';
  const what = OUTSIDE_EVICTIONS[d.kind as keyof typeof OUTSIDE_EVICTIONS](nodes);
  const floor = `floor ${v.floor}${v.budget ? `, PodDisruptionBudget ${v.budget}` : ''}`;
  // Not the budget's failure, and no field of the stack's to change: the cause alone.
  return { cause: `${deploymentRef(deployment, namespace)} fell to ${pods(v.healthy)} (${floor}) after fault ${removal.impact.faultId} ${what} (${fewOf(removal.pods)}), outside the Eviction API: no PodDisruptionBudget stops that` };
}

export interface PdbFacts {
  namespace: string;
  window: { start: number; end: number };
  /** The window's violations. */
  violations: Violation[];
  /** Judged deployments without a budget, when one is required. */
  missing: string[];
  /** The judged deployments. */
  deployments: V1Deployment[];
  coverage: (deployment: V1Deployment) => Coverage;
  /** Budgets that select nothing. */
  stray: V1PodDisruptionBudget[];
  /** Every fault's disruptions, not only this window's: another fault may have taken the pods. */
  impacts: Impact[];
  seen: ReadonlyMap<string, SeenPod>;
}

/** A deployment that fell below its floor: pods taken outside evictions, no budget, or two budgets; else unknown. */
function explainViolation(deployment: V1Deployment, v: Violation, f: PdbFacts): Explanation | undefined {
  const removal = removedOutsideEvictions(deployment, f.impacts, f.seen, f.window.start, v.t + REPORT_LAG_MS);
  if (removal) return outsideEvictions(deployment, v, removal, f.namespace);
  const coverage = f.coverage(deployment);
  if (!coverage.budget) {
    const lacking = explainUncovered(deployment, f);
    return { ...lacking, cause: `${lacking.cause}, so evictions took it to ${pods(v.healthy)} (below ${v.floor}, the floor pdb-held sets for a deployment without one)` };
  }
  if (coverage.budgets.length > 1) return sharedBudgets(deployment, coverage, v, f.namespace);
  return undefined;
}

function explainUncovered(deployment: V1Deployment, f: PdbFacts): Explanation {
  const unbudgeted = f.deployments.filter((d) => !f.coverage(d).budget);
  return uncovered(deployment, unbudgeted, f.stray, f.namespace);
}

/** The first failing deployment whose cause is established, in the message's order (falls below a floor, then missing budgets); the others counted. */
export function explainFailure(f: PdbFacts): Explanation | undefined {
  const failing = [...new Set([...f.violations.map((v) => v.deployment), ...f.missing])];
  for (const name of failing) {
    const deployment = f.deployments.find((d) => d.metadata?.name === name);
    if (!deployment) continue;
    const v = deepest(f.violations, name);
    const explained = v ? explainViolation(deployment, v, f) : explainUncovered(deployment, f);
    if (explained)
      return andMore(
        explained,
        failing.filter((n) => n !== name),
      );
  }
  return undefined;
}

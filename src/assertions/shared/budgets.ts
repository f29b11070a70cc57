// Which PodDisruptionBudgets cover each deployment, the floor they set
// together, and what they stop a drain from doing. A pod under more than one
// budget is judged against the strictest, as a reader of either would expect,
// but the Eviction API refuses to evict it at all.
import type { V1Deployment, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { matchesSelector } from './pods.ts';

export interface Coverage {
  deployment: string;
  /** Every budget whose selector matches the deployment's pod template. */
  budgets: string[];
  /** The strictest of them: the one that sets the floor. */
  budget?: string;
  floor: number;
  expected: number;
}

/** minAvailable / maxUnavailable resolved against the expected count, as the disruption controller does (percentages round up). */
export function floorFor(budget: V1PodDisruptionBudget | undefined, expected: number, fallback: number | string): number {
  const resolve = (value: number | string, roundUp: boolean) => (typeof value === 'number' ? value : (roundUp ? Math.ceil : Math.floor)((Number(value.replace('%', '')) / 100) * expected));
  if (budget?.spec?.minAvailable !== undefined) return resolve(budget.spec.minAvailable as number | string, true);
  if (budget?.spec?.maxUnavailable !== undefined) return Math.max(0, expected - resolve(budget.spec.maxUnavailable as number | string, true));
  return resolve(fallback, true);
}

/** The deployment's budgets and the highest floor among them; the fallback floor when it has none. */
export function coverageOf(deployment: V1Deployment, budgets: V1PodDisruptionBudget[], fallback: number | string): Coverage {
  const expected = deployment.spec?.replicas ?? 1;
  const covering = budgets.filter((b) => matchesSelector(deployment.spec?.template?.metadata?.labels, b.spec?.selector)).map((b) => ({ name: b.metadata?.name ?? '', floor: floorFor(b, expected, fallback) }));
  const strictest = covering.reduce<(typeof covering)[number] | undefined>((a, b) => (!a || b.floor > a.floor ? b : a), undefined);
  return {
    deployment: deployment.metadata?.name ?? '',
    budgets: covering.map((b) => b.name),
    ...(strictest && { budget: strictest.name }),
    floor: strictest?.floor ?? floorFor(undefined, expected, fallback),
    expected,
  };
}

/**
 * Budgets that let no pod go even when every pod is healthy (minAvailable
 * equal to the replicas, maxUnavailable 0): no drain of a node running one
 * of their pods can finish. Not a violation, but the first thing to fix.
 */
export function undrainable(entries: Array<{ deployment: string; budget?: string; floor: number; expected: number }>): string | undefined {
  const stuck = entries.filter((e) => e.budget && e.expected > 0 && e.floor >= e.expected);
  if (!stuck.length) return undefined;
  const list = stuck.map((e) => `${e.budget} (${e.deployment}: ${e.floor} of ${e.expected} must stay)`).join(', ');
  return `PodDisruptionBudget${stuck.length === 1 ? '' : 's'} ${list} allow${stuck.length === 1 ? 's' : ''} no voluntary disruption: no drain of a node running ${stuck.length === 1 ? 'its' : 'their'} pods can finish`;
}

/** The API server's refusal, quoted so a reader can match it to what kubectl drain printed. */
export const MULTIPLE_BUDGETS_REFUSAL = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support';

/** Deployments whose pods more than one budget selects: every eviction of them is refused, so no drain of their nodes can finish. */
export function sharedBudgets(entries: Coverage[]): string | undefined {
  const shared = entries.filter((e) => e.budgets.length > 1 && e.expected > 0);
  if (!shared.length) return undefined;
  const list = shared.map((e) => `${e.deployment} is under ${e.budgets.length} PodDisruptionBudgets (${e.budgets.join(', ')})`).join(', ');
  const its = shared.length === 1 ? 'its' : 'their';
  return `${list}: the Eviction API refuses to evict ${its} pods ("${MULTIPLE_BUDGETS_REFUSAL}"), so no drain of a node running them can finish`;
}

/** Everything about the budgets that keeps a drain from finishing, one sentence each. */
export function drainBlockers(entries: Coverage[]): string | undefined {
  return [sharedBudgets(entries), undrainable(entries)].filter(Boolean).join('. ') || undefined;
}

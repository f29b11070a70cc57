// Budgets that select nothing: no pod, and no deployment's pod template (so
// not merely a workload scaled to zero). Almost always a typo in the
// selector, and the reason a deployment that "has a PDB" reads as uncovered:
// naming the budget and its selector points straight at the fix.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { editDistance, nearestName } from '../../scenario/suggest.ts';
import { matchesSelector, selectorText } from '../shared/pods.ts';

export function strayBudgets(budgets: V1PodDisruptionBudget[], deployments: V1Deployment[], pods: V1Pod[]): V1PodDisruptionBudget[] {
  return budgets.filter((b) => !pods.some((p) => matchesSelector(p.metadata?.labels, b.spec?.selector)) && !deployments.some((d) => matchesSelector(d.spec?.template?.metadata?.labels, b.spec?.selector)));
}

/** What a stray budget selects, in words: its name and selector. */
export function selectsNothing(budget: V1PodDisruptionBudget): string {
  const name = budget.metadata?.name ?? '';
  const selector = budget.spec?.selector;
  // policy/v1: a null selector selects no pod (an empty one selects all).
  if (!selector) return `PodDisruptionBudget ${name} has no selector, so it matches no pod`;
  return `PodDisruptionBudget ${name} selects ${selectorText(selector)}, which matches no pod and no deployment's pod template`;
}

/** One clause per stray budget: its name, what it selects, and what to do. */
export function strayNote(stray: V1PodDisruptionBudget[]): string | undefined {
  if (!stray.length) return undefined;
  return stray.map((b) => `${selectsNothing(b)}: ${b.spec?.selector ? 'fix its selector' : 'give it one'}`).join('; ');
}

/** "no PodDisruptionBudget covers web", then why, when a budget that exists selects nothing. */
export function uncoveredNote(missing: string[], stray: V1PodDisruptionBudget[], consequence = ''): string | undefined {
  if (!missing.length) return undefined;
  const why = strayNote(stray);
  return `no PodDisruptionBudget covers ${missing.join(', ')}${consequence}${why ? `; ${why}` : ''}`;
}

/** One string a typo of the other (the scenario loader's "did you mean" measure). */
const typoOf = (a: string, b: string) => nearestName(a, [b]) !== undefined;

/**
 * How near a stray budget's selector comes to a deployment's pod labels,
 * compared left to right: keys shared, values equal, labels a typo away (in
 * key or value), whether the budget's name carries the deployment's, and
 * fewest edits between the values. None without a value, a typo or the name
 * to tie them: sharing the key `app` alone says nothing.
 */
function closeness(budget: V1PodDisruptionBudget, deployment: V1Deployment): number[] | undefined {
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  const wanted = budget.spec?.selector?.matchLabels ?? {};
  const keys = new Set([...Object.keys(wanted), ...(budget.spec?.selector?.matchExpressions ?? []).map((e) => e.key)]);
  const shared = [...keys].filter((k) => Object.hasOwn(labels, k));
  const equal = shared.filter((k) => wanted[k] === labels[k]).length;
  const typos = Object.entries(wanted).filter(([k, v]) => (Object.hasOwn(labels, k) ? typoOf(v, labels[k]!) : Object.entries(labels).some(([lk, lv]) => lv === v && typoOf(k, lk)))).length;
  const name = deployment.metadata?.name ?? '';
  const named = name !== '' && (budget.metadata?.name ?? '').includes(name) ? 1 : 0;
  if (!equal && !typos && !named) return undefined;
  const edits = shared.reduce((sum, k) => sum + (Object.hasOwn(wanted, k) ? editDistance(wanted[k]!, labels[k]!) : 0), 0);
  return [shared.length, equal, typos, named, -edits];
}

const nearerFirst = (a: number[], b: number[]) => {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i < 0 ? 0 : b[i]! - a[i]!;
};

/** The deployment a stray budget was probably written for, among `candidates`; none when nothing ties them. */
export function meantFor(budget: V1PodDisruptionBudget, candidates: V1Deployment[]): V1Deployment | undefined {
  const scored = candidates.flatMap((d) => {
    const score = closeness(budget, d);
    return score ? [{ d, score }] : [];
  });
  return scored.sort((a, b) => nearerFirst(a.score, b.score))[0]?.d;
}

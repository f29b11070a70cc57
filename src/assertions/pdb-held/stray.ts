// Budgets that select nothing: no pod, and no deployment's pod template (so
// not merely a workload scaled to zero). Almost always a typo in the
// selector, and the reason a deployment that "has a PDB" reads as uncovered:
// naming the budget and its selector points straight at the fix.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { matchesSelector, selectorText } from '../shared/pods.ts';

export function strayBudgets(budgets: V1PodDisruptionBudget[], deployments: V1Deployment[], pods: V1Pod[]): V1PodDisruptionBudget[] {
  return budgets.filter((b) => !pods.some((p) => matchesSelector(p.metadata?.labels, b.spec?.selector)) && !deployments.some((d) => matchesSelector(d.spec?.template?.metadata?.labels, b.spec?.selector)));
}

/** One clause per stray budget: its name, what it selects, and what to do. */
export function strayNote(stray: V1PodDisruptionBudget[]): string | undefined {
  if (!stray.length) return undefined;
  return stray
    .map((b) => {
      const name = b.metadata?.name ?? '';
      const selector = b.spec?.selector;
      // policy/v1: a null selector selects no pod (an empty one selects all).
      if (!selector) return `PodDisruptionBudget ${name} has no selector, so it matches no pod: give it one`;
      return `PodDisruptionBudget ${name} selects ${selectorText(selector)}, which matches no pod and no deployment's pod template: fix its selector`;
    })
    .join('; ');
}

/** "no PodDisruptionBudget covers web", then why, when a budget that exists selects nothing. */
export function uncoveredNote(missing: string[], stray: V1PodDisruptionBudget[], consequence = ''): string | undefined {
  if (!missing.length) return undefined;
  const why = strayNote(stray);
  return `no PodDisruptionBudget covers ${missing.join(', ')}${consequence}${why ? `; ${why}` : ''}`;
}

// pdb-held: PodDisruptionBudgets guard voluntary disruptions. While a fault
// evicts (a spot notice's drain), each workload keeps at least its budget's
// healthy pods, and every workload has a budget. Losses from a node that
// was terminated are involuntary: reported with their cause, never blamed
// on the budget.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { z } from 'zod';
import type { RunEvent } from '../../runner/events.ts';
import type { Watched } from '../../kube/watch.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { isHealthy, matchesSelector, podsOf } from '../shared/pods.ts';

const Params = z.strictObject({
  deployments: z.array(z.string().min(1)).default([]).describe('deployments to judge; default: all in the stack namespace'),
  requireBudget: z.boolean().default(true).describe('a deployment without a PodDisruptionBudget fails'),
  minAvailable: z
    .union([z.number().int().min(0), z.string().regex(/^\d{1,3}%$/, 'must be a count or a percentage like 50%')])
    .default('50%')
    .describe('the floor used for a deployment that has no budget'),
});
type Params = z.output<typeof Params>;

export interface Violation {
  t: number;
  deployment: string;
  healthy: number;
  floor: number;
  budget?: string;
}

/** minAvailable / maxUnavailable resolved against the expected count, as the disruption controller does (percentages round up). */
export function floorFor(budget: V1PodDisruptionBudget | undefined, expected: number, fallback: number | string): number {
  const resolve = (value: number | string, roundUp: boolean) =>
    typeof value === 'number' ? value : (roundUp ? Math.ceil : Math.floor)((Number(value.replace('%', '')) / 100) * expected);
  if (budget?.spec?.minAvailable !== undefined) return resolve(budget.spec.minAvailable as number | string, true);
  if (budget?.spec?.maxUnavailable !== undefined) return Math.max(0, expected - resolve(budget.spec.maxUnavailable as number | string, true));
  return resolve(fallback, true);
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

export const pdbHeld: AssertionType<Params> = {
  type: 'pdb-held',
  summary: 'Evictions never take a workload below its PodDisruptionBudget; involuntary losses reported apart',
  params: Params,
  describe: (p) => `healthy pods stay at or above each PodDisruptionBudget during voluntary disruption${p.requireBudget ? '; every deployment has one' : ''}`,
  async start(ctx, params) {
    const { watchDeployments, watchPdbs, watchPods } = await import('../../kube/watch.ts');
    const violations: Violation[] = [];
    const involuntary: Array<{ t: number; node: string; fault: string }> = [];
    const voluntary = new Map<string, { nodes: string[] }>();
    const voluntarySeen = new Set<string>();
    const floors = new Map<string, number>();
    const bypassed = new Map<string, string>();
    let deployments: Watched<V1Deployment> | undefined;
    let pdbs: Watched<V1PodDisruptionBudget> | undefined;
    let pods: Watched<V1Pod> | undefined;

    const judged = () => (deployments?.list() ?? []).filter((d) => !params.deployments.length || params.deployments.includes(d.metadata?.name ?? ''));
    const budgetOf = (d: V1Deployment) => (pdbs?.list() ?? []).find((b) => matchesSelector(d.spec?.template?.metadata?.labels, b.spec?.selector));

    const check = () => {
      if (voluntary.size === 0) return;
      for (const d of judged()) {
        const budget = budgetOf(d);
        const expected = d.spec?.replicas ?? 1;
        // The floor as it stood when the voluntary disruption began: an HPA
        // scaling out mid-drain raises the count, not what evictions may take.
        const name = d.metadata?.name ?? '';
        const floor = floors.get(name) ?? floorFor(budget, expected, params.minAvailable);
        const healthy = podsOf(d, pods?.list() ?? []).filter(isHealthy).length;
        const last = violations.findLast((v) => v.deployment === d.metadata?.name);
        if (healthy < floor && (!last || last.healthy !== healthy)) {
          const v: Violation = { t: Date.now(), deployment: d.metadata?.name ?? '', healthy, floor, ...(budget?.metadata?.name && { budget: budget.metadata.name }) };
          violations.push(v);
          ctx.bus.emit({ kind: 'assertion', assertion: ctx.assertion.name, type: 'pdb-held', status: 'failing', message: `${v.deployment}: ${healthy} healthy < ${floor} during a voluntary disruption` });
        }
      }
    };

    const missingBudgets = () => judged().filter((d) => !budgetOf(d)).map((d) => d.metadata?.name ?? '');
    const budgetsNow = () =>
      judged().map((d) => {
        const budget = budgetOf(d);
        const expected = d.spec?.replicas ?? 1;
        return { deployment: d.metadata?.name ?? '', ...(budget?.metadata?.name && { budget: budget.metadata.name }), floor: floorFor(budget, expected, params.minAvailable), expected };
      });
    // Per voluntary fault, read as it begins, like the floors.
    const stuckAtDrain = new Map<string, string>();

    const offBus = ctx.bus.on((event: RunEvent) => {
      if (event.kind !== 'fault') return;
      if (event.disruption === 'voluntary') {
        voluntary.set(event.faultId, { nodes: event.nodes ?? [] });
        voluntarySeen.add(event.faultId);
        const budgets = budgetsNow();
        for (const b of budgets) if (!floors.has(b.deployment)) floors.set(b.deployment, b.floor);
        const stuck = undrainable(budgets);
        if (stuck && !stuckAtDrain.has(event.faultId)) stuckAtDrain.set(event.faultId, stuck);
      }
      if (event.disruption === 'involuntary' || event.state === 'reverting' || event.state === 'reverted' || event.state === 'failed') {
        // From here on losses are involuntary (the node is gone) or the fault is over.
        if (event.disruption === 'involuntary') {
          for (const node of event.nodes ?? []) involuntary.push({ t: event.t, node, fault: event.faultId });
          // A fault that disrupts without any eviction (a node shutdown) explains why budgets could not apply.
          if (!voluntarySeen.has(event.faultId) && event.message && !bypassed.has(event.faultId)) bypassed.set(event.faultId, event.message);
        }
        voluntary.delete(event.faultId);
        if (voluntary.size === 0) floors.clear();
      }
      check();
    });
    pdbs = await watchPdbs(ctx.kubeConfig, ctx.namespace, (b) => {
      ctx.sample(`pdb:${b.metadata?.name}:disruptionsAllowed`, b.status?.disruptionsAllowed ?? 0);
    });
    deployments = await watchDeployments(ctx.kubeConfig, ctx.namespace, check);
    pods = await watchPods(ctx.kubeConfig, ctx.namespace, check);

    return {
      async steadyState(): Promise<Outcome> {
        const missing = missingBudgets();
        const covered = judged().length - missing.length;
        const stuck = undrainable(budgetsNow());
        // Not steady-state failures: the point is to show what a drain does with such budgets.
        return { status: 'passed', message: `${covered} of ${judged().length} deployments have a PodDisruptionBudget${missing.length ? ` (none for ${missing.join(', ')})` : ''}${stuck ? `; ${stuck}` : ''}` };
      },
      async judgeWindow(window): Promise<Outcome> {
        const inWindow = violations.filter((v) => v.t >= window.start && v.t <= window.end);
        const lost = involuntary.filter((l) => l.fault === window.id);
        const how = bypassed.get(window.id);
        const involuntaryNote = how
          ? ` No evictions: ${how}. Pods removed this way are not a budget failure but an availability risk (see availability).`
          : lost.length
            ? ` Involuntary: node ${[...new Set(lost.map((l) => l.node))].join(', ')} was terminated; pods lost with it are not a budget failure.`
            : '';
        const missing = params.requireBudget ? missingBudgets() : [];
        const problems: string[] = [];
        for (const name of new Set(inWindow.map((v) => v.deployment))) {
          const worst = inWindow.filter((v) => v.deployment === name).reduce((a, b) => (b.healthy < a.healthy ? b : a));
          problems.push(
            `${name} fell to ${worst.healthy} healthy pod${worst.healthy === 1 ? '' : 's'} while evictions ran (floor ${worst.floor}${worst.budget ? `, PDB ${worst.budget}` : ', no PDB'})`,
          );
        }
        if (missing.length) problems.push(`no PodDisruptionBudget covers ${missing.join(', ')}: evictions may take every pod at once`);
        const stuck = stuckAtDrain.get(window.id);
        const details = { violations: inWindow, involuntary: lost, ...(stuck && { undrainable: stuck }) };
        const stuckNote = stuck ? ` ${stuck}.` : '';
        if (problems.length) return { status: 'failed', message: `${problems.join('; ')}.${stuckNote}${involuntaryNote}`, details };
        return { status: 'passed', message: `${how ? 'no evictions to judge.' : 'no workload went below its budget during evictions.'}${stuckNote}${involuntaryNote}`, details };
      },
      async stop() {
        offBus();
        await Promise.all([pdbs?.stop(), deployments?.stop(), pods?.stop()]);
      },
    };
  },
};

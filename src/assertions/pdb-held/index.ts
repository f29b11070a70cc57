// pdb-held: PodDisruptionBudgets guard voluntary disruptions. While a fault
// evicts (a spot notice's drain), each workload keeps at least its budget's
// healthy pods (the strictest, when several cover it), and every workload
// has a budget. Losses from a node that was terminated are involuntary:
// reported with their cause, never blamed on the budget.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { z } from 'zod';
import type { Watched } from '../../kube/watch.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { isHealthy, podsOf } from '../shared/pods.ts';
import { coverageOf, drainBlockers } from '../shared/budgets.ts';
import { strayBudgets, uncoveredNote } from './stray.ts';
import { deepest, explainFailure, rememberPod, type SeenPod, type Violation } from './explain.ts';

export { floorFor, undrainable } from '../shared/budgets.ts';

const Params = z.strictObject({
  deployments: z.array(z.string().min(1)).default([]).describe('deployments to judge; default: all in the stack namespace'),
  requireBudget: z.boolean().default(true).describe('a deployment without a PodDisruptionBudget fails'),
  minAvailable: z
    .union([z.number().int().min(0), z.string().regex(/^\d{1,3}%$/, 'must be a count or a percentage like 50%')])
    .default('50%')
    .describe('the floor used for a deployment that has no budget'),
});
type Params = z.output<typeof Params>;

export type { Violation } from './explain.ts';

export const pdbHeld: AssertionType<Params> = {
  type: 'pdb-held',
  summary: 'Evictions never take a workload below its PodDisruptionBudget; involuntary losses reported apart',
  params: Params,
  describe: (p) => `healthy pods stay at or above each PodDisruptionBudget during voluntary disruption${p.requireBudget ? '; every deployment has one' : ''}`,
  async start(ctx, params) {
    const { watchDeployments, watchPdbs, watchPods } = await import('../../kube/watch.ts');
    const violations: Violation[] = [];
    const voluntarySeen = new Set<string>();
    const floors = new Map<string, number>();
    let deployments: Watched<V1Deployment> | undefined;
    let pdbs: Watched<V1PodDisruptionBudget> | undefined;
    let pods: Watched<V1Pod> | undefined;
    // Every pod seen, kept after it goes: whose a pod a fault deleted was, and where it ran.
    const seen = new Map<string, SeenPod>();

    const judged = () => (deployments?.list() ?? []).filter((d) => !params.deployments.length || params.deployments.includes(d.metadata?.name ?? ''));
    const coverage = (d: V1Deployment) => coverageOf(d, pdbs?.list() ?? [], params.minAvailable);

    const check = () => {
      if (ctx.disruptions.voluntary().size === 0) return;
      for (const d of judged()) {
        const covered = coverage(d);
        // The floor as it stood when the voluntary disruption began: an HPA
        // scaling out mid-drain raises the count, not what evictions may take.
        // A scale-down lowers it, as the disruption controller lowers the
        // budget's desiredHealthy with the scale (seen: 7 to 3 mid-upgrade).
        const name = d.metadata?.name ?? '';
        const floor = Math.min(floors.get(name) ?? Number.POSITIVE_INFINITY, covered.floor);
        const healthy = podsOf(d, pods?.list() ?? []).filter(isHealthy).length;
        const last = violations.findLast((v) => v.deployment === d.metadata?.name);
        if (healthy < floor && (!last || last.healthy !== healthy)) {
          const v: Violation = { t: Date.now(), deployment: d.metadata?.name ?? '', healthy, floor, ...(covered.budget && { budget: covered.budget }) };
          violations.push(v);
          ctx.bus.emit({ kind: 'assertion', assertion: ctx.assertion.name, type: 'pdb-held', status: 'failing', message: `${v.deployment}: ${healthy} healthy < ${floor} during a voluntary disruption` });
        }
      }
    };

    const missingBudgets = () =>
      judged()
        .filter((d) => !coverage(d).budget)
        .map((d) => d.metadata?.name ?? '');
    const budgetsNow = () => judged().map(coverage);
    // Budgets that exist but select nothing: why a deployment reads as uncovered.
    const stray = () => strayBudgets(pdbs?.list() ?? [], deployments?.list() ?? [], pods?.list() ?? []);
    // Per voluntary fault, read as it begins, like the floors.
    const stuckAtDrain = new Map<string, string>();

    // Each fault's evictions, as the tracker reports them: floors and blockers are read as they begin.
    const offDisruptions = ctx.disruptions.onChange(() => {
      const voluntary = ctx.disruptions.voluntary();
      for (const faultId of voluntary.keys()) {
        if (voluntarySeen.has(faultId)) continue;
        voluntarySeen.add(faultId);
        const budgets = budgetsNow();
        for (const b of budgets) if (!floors.has(b.deployment)) floors.set(b.deployment, b.floor);
        const stuck = drainBlockers(budgets);
        if (stuck) stuckAtDrain.set(faultId, stuck);
      }
      // Once no fault evicts, losses are involuntary (a node is gone) or the faults are over.
      if (voluntary.size === 0) floors.clear();
      check();
    });
    pdbs = await watchPdbs(ctx.kubeConfig, ctx.namespace, (b) => {
      ctx.sample(`pdb:${b.metadata?.name}:disruptionsAllowed`, b.status?.disruptionsAllowed ?? 0);
    });
    deployments = await watchDeployments(ctx.kubeConfig, ctx.namespace, check);
    pods = await watchPods(ctx.kubeConfig, ctx.namespace, (pod, verb) => {
      rememberPod(seen, pod, verb, ctx.namespace, Date.now());
      check();
    });

    return {
      async steadyState(): Promise<Outcome> {
        const missing = missingBudgets();
        const covered = judged().length - missing.length;
        const uncovered = uncoveredNote(missing, stray());
        const stuck = drainBlockers(budgetsNow());
        // Not steady-state failures: the point is to show what a drain does with such budgets.
        return { status: 'passed', message: `${covered} of ${judged().length} deployments have a PodDisruptionBudget${uncovered ? `; ${uncovered}` : ''}${stuck ? `; ${stuck}` : ''}` };
      },
      async judgeWindow(window): Promise<Outcome> {
        const inWindow = violations.filter((v) => v.t >= window.start && v.t <= window.end);
        const impacts = ctx.disruptions.impacts(window.id);
        const lost = impacts.flatMap((i) => (i.disruption.kind === 'nodes-stopped' ? i.disruption.nodes.map((node) => ({ t: i.t, node, fault: i.faultId })) : []));
        // A fault that disrupts without any eviction (a node shutdown, pods deleted) explains why budgets could not apply.
        const how = voluntarySeen.has(window.id) ? undefined : impacts.find((i) => i.disruption.kind !== 'evictions-begin')?.disruption.message;
        const involuntaryNote = how
          ? ` No evictions: ${how}. Pods removed this way are not a budget failure but an availability risk (see availability).`
          : lost.length
            ? ` Involuntary: node ${[...new Set(lost.map((l) => l.node))].join(', ')} was terminated; pods lost with it are not a budget failure.`
            : '';
        const missing = params.requireBudget ? missingBudgets() : [];
        const problems: string[] = [];
        for (const name of new Set(inWindow.map((v) => v.deployment))) {
          const worst = deepest(inWindow, name)!;
          problems.push(`${name} fell to ${worst.healthy} healthy pod${worst.healthy === 1 ? '' : 's'} while evictions ran (floor ${worst.floor}${worst.budget ? `, PDB ${worst.budget}` : ', no PDB'})`);
        }
        const uncovered = uncoveredNote(missing, stray(), ': evictions may take every pod at once');
        if (uncovered) problems.push(uncovered);
        const stuck = stuckAtDrain.get(window.id);
        const details = { violations: inWindow, involuntary: lost, ...(stuck && { undrainable: stuck }) };
        const stuckNote = stuck ? ` ${stuck}.` : '';
        if (problems.length) {
          const explanation = explainFailure({ namespace: ctx.namespace, window, violations: inWindow, missing, deployments: judged(), coverage, stray: stray(), impacts: ctx.disruptions.impacts(), seen });
          return { status: 'failed', message: `${problems.join('; ')}.${stuckNote}${involuntaryNote}`, details, ...(explanation && { explanation }) };
        }
        return { status: 'passed', message: `${how ? 'no evictions to judge.' : 'no workload went below its budget during evictions.'}${stuckNote}${involuntaryNote}`, details };
      },
      async stop() {
        offDisruptions();
        await Promise.all([pdbs?.stop(), deployments?.stop(), pods?.stop()]);
      },
    };
  },
};

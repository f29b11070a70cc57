// availability's eye on the stack: watches on its Deployments, pods and
// budgets, logged as they change, so a failed window can say why. Best
// effort: without the watches the verdict stands, unexplained.
import type { V1Deployment, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { Explanation } from '../../core/result.ts';
import type { Watched } from '../../kube/watch.ts';
import type { AssertionContext, Window } from '../types.ts';
import { explainWindow, type WindowFacts } from './explain.ts';
import { apiOutOfReach, BLIND_WAIT_MS, explainRestarts, readLivenessKills } from './liveness.ts';
import { listEvents } from '../shared/events.ts';
import { WorkloadLog } from './history.ts';

export interface Workloads {
  /** Why the window failed, when the workloads (or the kubelets' Events on their pods) show it. */
  explain(window: Window): Promise<Explanation | undefined>;
  stop(): Promise<void>;
}

export async function watchWorkloads(ctx: AssertionContext): Promise<Workloads> {
  const { watchDeployments, watchPdbs, watchPods } = await import('../../kube/watch.ts');
  const log = new WorkloadLog();
  const started: Array<Watched<unknown>> = [];
  let deployments: Watched<V1Deployment> | undefined;
  let pods: Watched<V1Pod> | undefined;
  let pdbs: Watched<V1PodDisruptionBudget> | undefined;
  // Until every watch has listed, a half-seen cluster would log false drops.
  const record = () => deployments && pods && pdbs && log.record(Date.now(), deployments.list(), pods.list(), (node) => ctx.disruptions.isDown(node));
  const stopAll = () => Promise.all(started.map((w) => w.stop())).then(() => {});
  try {
    started.push((deployments = await watchDeployments(ctx.kubeConfig, ctx.namespace, record)));
    started.push((pods = await watchPods(ctx.kubeConfig, ctx.namespace, record)));
    started.push((pdbs = await watchPdbs(ctx.kubeConfig, ctx.namespace, () => {})));
  } catch (error) {
    await stopAll();
    ctx.bus.log('warn', `availability: cannot watch the workloads in ${ctx.namespace} (${(error as Error).message}); its failed windows will not be explained`);
    return { explain: async () => undefined, stop: async () => {} };
  }
  record();
  // A node going down takes its pods out of service before their status says so.
  const offDisruptions = ctx.disruptions.onChange(record);
  const events = (signal: AbortSignal) => listEvents(ctx.kubeConfig, ctx.namespace, signal);
  return {
    async explain(window) {
      const facts: WindowFacts = {
        namespace: ctx.namespace,
        window,
        deployments: deployments.list(),
        budgets: pdbs.list(),
        ready: (name) => log.readySeries(name),
        podsAtStart: log.podsAt(window.start),
        impacts: ctx.disruptions.impacts(window.id),
      };
      const found = explainWindow(facts);
      if (found) return found;
      // With the API out of reach, neither the watches nor the Events saw the kubelets' restarts: they arrive after.
      const blind = apiOutOfReach(facts.impacts);
      if (blind) ctx.bus.log('info', `availability: waiting up to ${BLIND_WAIT_MS / 1000} s for the kubelets to post what they did while the API was out of reach`);
      return explainRestarts(facts, await readLivenessKills(events, window, blind ? BLIND_WAIT_MS : 0, ctx.signal));
    },
    stop: async () => {
      offDisruptions();
      await stopAll();
    },
  };
}

// recovered-within: after the faults, every watched deployment is back to its
// desired count of ready replicas within the deadline, and no pod is left
// bound to a node that is gone.
import type { V1Deployment, V1Node, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { duration, formatDuration } from '../../scenario/duration.ts';
import type { Watched } from '../../kube/watch.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { isHealthy, podsOf, whyNotReady } from '../shared/pods.ts';

const Params = z.strictObject({
  deadline: duration({ min: 1000 }).prefault('90s').describe('how long after the last fault the stack may take to recover'),
  deployments: z.array(z.string().min(1)).default([]).describe('deployments to judge; default: all in the stack namespace'),
});
type Params = z.output<typeof Params>;

interface Shortfall {
  deployment: string;
  ready: number;
  desired: number;
  reasons: string[];
}

export function shortfalls(deployments: V1Deployment[], pods: V1Pod[], deadNodes: Set<string>, only: string[]): Shortfall[] {
  const out: Shortfall[] = [];
  for (const d of deployments) {
    const name = d.metadata?.name ?? '';
    if (only.length && !only.includes(name)) continue;
    const desired = d.spec?.replicas ?? 1;
    const mine = podsOf(d, pods);
    const ready = mine.filter(isHealthy).length;
    const stranded = mine.filter((p) => p.spec?.nodeName && deadNodes.has(p.spec.nodeName) && !p.metadata?.deletionTimestamp);
    if (ready < desired || stranded.length) {
      const reasons = [
        ...mine.filter((p) => !isHealthy(p)).map((p) => `${p.metadata?.name}: ${whyNotReady(p)}`),
        ...stranded.map((p) => `${p.metadata?.name} still bound to gone node ${p.spec?.nodeName}`),
      ];
      out.push({ deployment: name, ready, desired, reasons: [...new Set(reasons)].slice(0, 4) });
    }
  }
  return out;
}

function describeShortfalls(list: Shortfall[]): string {
  return list.map((s) => `${s.deployment}: ${s.ready} of ${s.desired} ready${s.reasons.length ? ` (${s.reasons.join('; ')})` : ''}`).join('; ');
}

export const recoveredWithin: AssertionType<Params> = {
  type: 'recovered-within',
  summary: 'Ready replicas back to the desired count within a deadline; no pod left on a gone node',
  params: Params,
  describe: (p) => `every deployment${p.deployments.length ? ` of ${p.deployments.join(', ')}` : ''} fully ready within ${formatDuration(p.deadline)} after the last fault, no pod left on a gone node`,
  async start(ctx, params) {
    // Loaded on first use: the Kubernetes client is heavy and `validate` never needs it.
    const { watchDeployments, watchPods } = await import('../../kube/watch.ts');
    const { CoreV1Api } = await import('@kubernetes/client-node');
    let settle: (() => void) | undefined;
    const changed = () => settle?.();
    const emitReady = (d: V1Deployment) => {
      const name = d.metadata?.name ?? '';
      if (params.deployments.length && !params.deployments.includes(name)) return;
      ctx.sample(`ready:${name}`, d.status?.readyReplicas ?? 0);
      ctx.sample(`desired:${name}`, d.spec?.replicas ?? 0);
    };
    const deployments: Watched<V1Deployment> = await watchDeployments(ctx.kubeConfig, ctx.namespace, (d) => {
      emitReady(d);
      changed();
    });
    const pods: Watched<V1Pod> = await watchPods(ctx.kubeConfig, ctx.namespace, changed);
    for (const d of deployments.list()) emitReady(d);
    // Nodes a fault terminated count as gone at once, before the node
    // controller notices (40 s or more) and until the fault is reverted.
    const terminated = new Set<string>();
    const offBus = ctx.bus.on((event) => {
      if (event.kind !== 'fault') return;
      if (event.disruption === 'involuntary') for (const node of event.nodes ?? []) terminated.add(node);
      if (event.state === 'reverted') terminated.clear();
    });
    const core = ctx.kubeConfig.makeApiClient(CoreV1Api);
    const deadNodes = async () => {
      // A node whose kubelet stopped reporting, or that no longer exists.
      const nodes: V1Node[] = (await core.listNode()).items;
      const names = new Set(nodes.map((n) => n.metadata?.name));
      const gone = new Set([...terminated, ...nodes.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status !== 'True')).map((n) => n.metadata?.name ?? '')]);
      for (const p of pods.list()) if (p.spec?.nodeName && !names.has(p.spec.nodeName)) gone.add(p.spec.nodeName);
      return gone;
    };
    const evaluate = async () => shortfalls(deployments.list(), pods.list(), await deadNodes(), params.deployments);

    return {
      async steadyState(): Promise<Outcome> {
        const missing = await evaluate();
        return missing.length
          ? { status: 'failed', message: `not ready before any fault: ${describeShortfalls(missing)}` }
          : { status: 'passed', message: `${deployments.list().length} deployments fully ready` };
      },
      async recovery(signal, faultsEndedAt): Promise<Outcome> {
        const deadline = faultsEndedAt + params.deadline;
        for (;;) {
          const missing = await evaluate();
          if (missing.length === 0) {
            return { status: 'passed', message: `recovered ${formatDuration(Math.max(0, Date.now() - faultsEndedAt))} after the last fault (deadline ${formatDuration(params.deadline)})`, details: { recoveredAfterMs: Date.now() - faultsEndedAt } };
          }
          if (Date.now() >= deadline || signal.aborted) {
            return { status: 'failed', message: `not recovered ${formatDuration(params.deadline)} after the last fault: ${describeShortfalls(missing)}`, details: { shortfalls: missing } };
          }
          // Wake on the next watch event, or re-check every 2 s for node status.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(2000, Math.max(0, deadline - Date.now())));
            settle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          settle = undefined;
        }
      },
      async stop() {
        offBus();
        await deployments.stop();
        await pods.stop();
      },
    };
  },
};

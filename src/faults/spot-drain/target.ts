import type { FaultContext } from '../types.ts';
import { pickWorkers } from '../shared/nodes.ts';

/** The node to reclaim: the one named, else the schedulable non-spare worker with most pods (among equals, the first by name). */
export async function pickTarget(ctx: FaultContext, named: string | undefined, namespace: string | undefined): Promise<string> {
  const [target] = await pickWorkers(ctx, {
    nodes: named ? [named] : undefined,
    count: 1,
    order: async (workers) => {
      const pods = await ctx.kube.listPods(namespace ? { namespace } : {});
      const count = (node: string) => pods.filter((p) => p.nodeName === node && p.ownerKind !== 'DaemonSet').length;
      return [...workers].sort((a, b) => count(b) - count(a) || a.localeCompare(b));
    },
  });
  return target!;
}

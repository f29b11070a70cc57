import { InfraError } from '../../errors.ts';
import { isSpare } from '../../clusters/kind/config.ts';
import type { FaultContext } from '../types.ts';

/** The node to reclaim: the one named, else the non-spare worker with most pods. */
export async function pickTarget(ctx: FaultContext, named: string | undefined, namespace: string | undefined): Promise<string> {
  const machines = await ctx.nodes.list();
  if (named) {
    const machine = machines.find((m) => m.name === named);
    if (!machine) throw new InfraError(`spot-drain: node ${named} is not a node of this cluster (nodes: ${machines.map((m) => m.name).join(', ')})`);
    return named;
  }
  const spares = new Set((await ctx.kube.listNodes()).filter((n) => isSpare(n.labels)).map((n) => n.name));
  const workers = machines.filter((m) => m.role === 'worker' && m.running && !spares.has(m.name));
  if (workers.length === 0) throw new InfraError('spot-drain: no running worker to reclaim');
  const pods = await ctx.kube.listPods(namespace ? { namespace } : {});
  const count = (node: string) => pods.filter((p) => p.nodeName === node && p.ownerKind !== 'DaemonSet').length;
  return workers.map((w) => w.name).sort((a, b) => count(b) - count(a) || a.localeCompare(b))[0]!;
}

// Choosing the nodes a fault acts on: named ones, or running non-spare
// workers (the control plane is never picked unless named).
import { InfraError } from '../../errors.ts';
import { isSpare } from '../../core/node-roles.ts';
import type { FaultContext } from '../types.ts';

export interface WorkerChoice {
  /** Named nodes win over any choice. */
  nodes?: string[];
  count: number;
  /** Orders candidates, best first (a stable sort keeps the name order among equals); by name when absent. */
  order?: (workers: string[]) => Promise<string[]>;
}

export async function pickWorkers(ctx: FaultContext, options: WorkerChoice): Promise<string[]> {
  const machines = await ctx.nodes.list();
  if (options.nodes?.length) {
    const unknown = options.nodes.filter((n) => !machines.some((m) => m.name === n));
    if (unknown.length) throw new InfraError(`${ctx.fault.type}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a node' : 'are not nodes'} of this cluster (nodes: ${machines.map((m) => m.name).join(', ')})`);
    return options.nodes;
  }
  // Not spares, and not nodes another fault is already taking down (cordoned, or not Ready).
  const skip = new Set((await ctx.kube.listNodes()).filter((n) => isSpare(n.labels) || n.unschedulable || !n.ready).map((n) => n.name));
  const workers = machines
    .filter((m) => m.role === 'worker' && m.running && !skip.has(m.name))
    .map((m) => m.name)
    .sort();
  if (workers.length < options.count) throw new InfraError(`${ctx.fault.type}: needs ${options.count} running workers, the cluster has ${workers.length}`);
  // By name, not by chance: the same cluster gives the same node, seed or none, and a
  // scenario's verdicts do not hang on which worker a draw happened to pick.
  const ordered = options.order ? await options.order(workers) : workers;
  return ordered.slice(0, options.count);
}

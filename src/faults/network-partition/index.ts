// network-partition: cut one or more nodes off from the rest of the cluster
// (the API server, the other nodes and their pods) with iptables rules in a
// dedicated, labelled chain inside each node. Revert removes that chain.
import { z } from 'zod';
import { durationText } from '../../scenario/duration.ts';
import { InfraError } from '../../errors.ts';
import type { NodeSummary } from '../../core/kube-api.ts';
import type { FaultType } from '../types.ts';
import { pickWorkers } from '../shared/nodes.ts';
import { chainName, healNode, partitionCommands } from './rules.ts';

const Params = z.strictObject({
  nodes: z.array(z.string().min(1)).optional().describe('nodes to cut off; default: the first `count` workers'),
  count: z.number().int().min(1).max(8).default(1),
});
type Params = z.output<typeof Params>;

/** Addresses on the other side of the cut: the other nodes and their pod ranges. */
export function peersOf(nodes: NodeSummary[], cut: string[]): string[] {
  return nodes.filter((n) => !cut.includes(n.name)).flatMap((n) => [n.address, n.podCIDR].filter((x): x is string => Boolean(x)));
}

export const networkPartition: FaultType<Params> = {
  type: 'network-partition',
  summary: 'Cut nodes off from the rest of the cluster with iptables rules inside the nodes',
  params: Params,
  aims: (p) => (p.nodes ? { nodes: { names: p.nodes, field: 'nodes' } } : {}),
  describe(params, fault) {
    const target = params.nodes?.join(', ') ?? `${params.count} worker${params.count > 1 ? 's' : ''}`;
    return [
      `T+${durationText(fault.at)} cut ${target} off from the other nodes, their pods and the API server (chain ${chainName(fault.id)})`,
      fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)} heal: remove the chain` : '  heal at the end of the run: remove the chain',
    ];
  },
  async inject(ctx, params) {
    const cut = await pickWorkers(ctx, { ...(params.nodes && { nodes: params.nodes }), count: params.count });
    const kubeNodes = await ctx.kube.listNodes();
    const chain = chainName(ctx.fault.id);
    const comment = `shakedown:${ctx.runId}:${ctx.fault.id}`;
    for (const node of cut) {
      const peers = peersOf(kubeNodes, cut);
      if (peers.length === 0) throw new InfraError(`network-partition: no peers of ${node} known (node addresses missing)`);
      ctx.cleanup.register(ctx.fault.id, 'network-partition/heal', { node, chain, comment }, `heal partition of ${node} (remove chain ${chain})`);
      for (const command of partitionCommands(chain, comment, peers)) {
        const out = await ctx.nodes.exec(node, command);
        if (out.exitCode !== 0) throw new InfraError(`network-partition: ${command.join(' ')} on ${node} failed: ${out.output.trim()}`);
      }
      ctx.detail(`peers:${node}`, peers);
    }
    ctx.detail('nodes', cut);
    ctx.disrupt({ kind: 'nodes-cut-off', nodes: cut, message: `${cut.join(', ')} cut off` });
  },
  reverts: { heal: healNode },
};

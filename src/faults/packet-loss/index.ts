// packet-loss: drop a share of the packets to and from chosen pods (or all
// of chosen nodes' traffic), with iptables' statistic match inside the nodes'
// network namespaces: a probability of 0.3 loses about 30%. No netem needed.
// Each node's chains are ledgered before they are made; revert removes them.
import { z } from 'zod';
import { durationText } from '../../scenario/duration.ts';
import { InfraError } from '../../errors.ts';
import type { FaultType } from '../types.ts';
import { pickWorkers } from '../shared/nodes.ts';
import { chains, lossCommands, removeNodeLoss } from './rules.ts';

const Params = z
  .strictObject({
    probability: z.number().gt(0).max(1).describe('share of packets dropped, 0 < p <= 1 (0.3: about 30%)'),
    selector: z.string().min(1).optional().describe('label selector of the pods whose traffic is dropped, e.g. app=backend'),
    namespace: z.string().min(1).optional().describe("the pods' namespace; default: the stack namespace"),
    nodes: z.array(z.string().min(1)).optional().describe('instead of pods: nodes whose own traffic is dropped'),
    count: z.number().int().min(1).max(8).optional().describe('instead of pods: this many workers, the first by name'),
    direction: z.enum(['both', 'ingress', 'egress']).default('both').describe('ingress: packets to the targets; egress: packets from them'),
  })
  .refine((p) => [p.selector, p.nodes, p.count].filter((x) => x !== undefined).length === 1, { message: 'set exactly one of selector, nodes or count', path: ['selector'] });
type Params = z.output<typeof Params>;

export const packetLoss: FaultType<Params> = {
  type: 'packet-loss',
  summary: 'Drop a share of the packets to and from chosen pods or nodes (iptables statistic match inside the nodes)',
  params: Params,
  aims: (p) => ({ ...(p.selector && { pods: { selector: p.selector, ...(p.namespace && { namespace: p.namespace }), field: 'selector' } }), ...(p.nodes && { nodes: { names: p.nodes, field: 'nodes' } }) }),
  describe(params, fault) {
    const share = `${Math.round(params.probability * 1000) / 10}%`;
    const what = params.selector ? `pods matching ${params.selector}` : params.nodes ? params.nodes.join(', ') : `${params.count} worker${params.count === 1 ? '' : 's'}`;
    const way = params.direction === 'both' ? 'to and from' : params.direction === 'ingress' ? 'to' : 'from';
    const { ingress, egress } = chains(fault.id);
    return [
      `T+${durationText(fault.at)} drop ${share} of the packets ${way} ${what} (chains ${[params.direction !== 'egress' && ingress, params.direction !== 'ingress' && egress].filter(Boolean).join(', ')})`,
      fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)} stop: remove the chains` : '  stop at the end of the run: remove the chains',
    ];
  },
  async inject(ctx, params) {
    const comment = `shakedown:${ctx.runId}:${ctx.fault.id}`;
    const targets = new Map<string, string[] | undefined>();
    const degradedPods: string[] = [];
    if (params.selector) {
      const namespace = params.namespace ?? ctx.namespace;
      const pods = (await ctx.kube.listPods({ namespace, labelSelector: params.selector })).filter((p) => !p.deleting && p.phase === 'Running' && p.nodeName && p.ip);
      if (pods.length === 0) throw new InfraError(`packet-loss: no running pod matches ${params.selector} in ${namespace}`);
      for (const pod of pods) targets.set(pod.nodeName!, [...(targets.get(pod.nodeName!) ?? []), pod.ip!]);
      ctx.detail(
        'pods',
        pods.map((p) => `${p.namespace}/${p.name}`),
      );
      degradedPods.push(...pods.map((p) => `${p.namespace}/${p.name}`));
    } else {
      for (const node of await pickWorkers(ctx, { ...(params.nodes && { nodes: params.nodes }), count: params.count ?? params.nodes?.length ?? 1 })) targets.set(node, undefined);
    }
    for (const [node, ips] of targets) {
      ctx.cleanup.register(ctx.fault.id, 'packet-loss/remove', { node, faultId: ctx.fault.id, comment }, `stop packet loss on ${node} (remove chains ${Object.values(chains(ctx.fault.id)).join(', ')})`);
      for (const command of lossCommands(ctx.fault.id, comment, { ...(ips && { ips }), direction: params.direction, probability: params.probability })) {
        const out = await ctx.nodes.exec(node, command);
        if (out.exitCode !== 0) throw new InfraError(`packet-loss: ${command.join(' ')} on ${node} failed: ${out.output.trim()}`);
      }
    }
    ctx.detail('nodes', [...targets.keys()]);
    const share = `${Math.round(params.probability * 1000) / 10}%`;
    ctx.disrupt({
      kind: 'traffic-degraded',
      nodes: [...targets.keys()],
      ...(params.selector && { pods: degradedPods }),
      message: `dropping ${share} of the packets ${params.direction === 'both' ? 'to and from' : params.direction === 'ingress' ? 'to' : 'from'} ${params.selector ? `${degradedPods.length} pod${degradedPods.length === 1 ? '' : 's'} matching ${params.selector}` : [...targets.keys()].join(', ')}`,
    });
  },
  reverts: { remove: removeNodeLoss },
};

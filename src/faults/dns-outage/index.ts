// dns-outage: the cluster's DNS stops answering. Every query to the CoreDNS
// pods (UDP and TCP 53) is dropped inside the nodes that run them, after
// kube-proxy's DNAT, so lookups through the kube-dns Service time out as in
// a real outage; CoreDNS itself stays up and Ready (its health port is
// untouched), and nothing in the API changes. A stack that resolves names
// on every new connection shows it. Revert: remove the chains.
import { z } from 'zod';
import { InfraError } from '../../errors.ts';
import { durationText } from '../../scenario/duration.ts';
import type { FaultType } from '../types.ts';
import { chains, lossCommands, removeNodeLoss } from '../packet-loss/rules.ts';

const DNS_PORTS = [
  { protocol: 'udp' as const, port: 53 },
  { protocol: 'tcp' as const, port: 53 },
];

const Params = z.strictObject({
  namespace: z.string().min(1).default('kube-system').describe("the DNS pods' namespace"),
  selector: z.string().min(1).default('k8s-app=kube-dns').describe('label selector of the DNS pods (CoreDNS in kind and kubeadm clusters)'),
  probability: z.number().gt(0).max(1).default(1).describe('share of queries dropped: 1 is a full outage, less a flaky DNS'),
});
type Params = z.output<typeof Params>;

export const dnsOutage: FaultType<Params> = {
  type: 'dns-outage',
  summary: "The cluster's DNS stops answering: queries to the CoreDNS pods (UDP and TCP 53) are dropped",
  params: Params,
  aims: (p) => ({ pods: { selector: p.selector, namespace: p.namespace, field: 'selector' } }),
  describe(params, fault) {
    const share = params.probability === 1 ? 'every' : `${Math.round(params.probability * 1000) / 10}% of the`;
    return [
      `T+${durationText(fault.at)} drop ${share} DNS queries (UDP and TCP 53) to the pods matching ${params.selector} in ${params.namespace} (chain ${chains(fault.id).ingress})`,
      fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)} answer again: remove the chains` : '  answer again at the end of the run: remove the chains',
    ];
  },
  async inject(ctx, params) {
    const comment = `shakedown:${ctx.runId}:${ctx.fault.id}`;
    const pods = (await ctx.kube.listPods({ namespace: params.namespace, labelSelector: params.selector })).filter((p) => !p.deleting && p.phase === 'Running' && p.nodeName && p.ip);
    if (pods.length === 0) throw new InfraError(`dns-outage: no running pod matches ${params.selector} in ${params.namespace}`);
    const byNode = new Map<string, string[]>();
    for (const pod of pods) byNode.set(pod.nodeName!, [...(byNode.get(pod.nodeName!) ?? []), pod.ip!]);
    for (const [node, ips] of byNode) {
      ctx.cleanup.register(ctx.fault.id, 'dns-outage/remove', { node, faultId: ctx.fault.id, comment }, `let DNS answer on ${node} again (remove chain ${chains(ctx.fault.id).ingress})`);
      for (const command of lossCommands(ctx.fault.id, comment, { ips, direction: 'ingress', probability: params.probability, ports: DNS_PORTS })) {
        const out = await ctx.nodes.exec(node, command);
        if (out.exitCode !== 0) throw new InfraError(`dns-outage: ${command.join(' ')} on ${node} failed: ${out.output.trim()}`);
      }
    }
    const names = pods.map((p) => `${p.namespace}/${p.name}`);
    ctx.detail('pods', names);
    ctx.detail('nodes', [...byNode.keys()]);
    ctx.disrupt({ kind: 'traffic-degraded', nodes: [...byNode.keys()], pods: names, message: `DNS queries to ${names.join(', ')} dropped${params.probability < 1 ? ` (${Math.round(params.probability * 100)}%)` : ''}` });
  },
  reverts: { remove: removeNodeLoss },
};

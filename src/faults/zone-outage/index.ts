// zone-outage: a whole zone goes at once, which is what topology spread and
// PodDisruptionBudgets exist for. Every node labelled with the zone
// (topology.kubernetes.io/zone) is stopped, or cut off from the rest of the
// cluster; each node's revert (start, or heal) is ledgered before it is hit.
import { z } from 'zod';
import { ZONE_LABEL } from '../../core/node-roles.ts';
import { InfraError } from '../../errors.ts';
import { durationText } from '../../scenario/duration.ts';
import { peersOf } from '../network-partition/index.ts';
import { chainName, healNode, partitionCommands } from '../network-partition/rules.ts';
import { startNode } from '../node-stop/index.ts';
import type { FaultType } from '../types.ts';

const Params = z.strictObject({
  zone: z.string().min(1).optional().describe(`the zone to take down (label ${ZONE_LABEL}); default: the first by name that holds workers`),
  mode: z.enum(['stop', 'partition']).default('stop').describe("stop: the zone's machines stop; partition: they keep running, cut off from the other zones and the API server"),
});
type Params = z.output<typeof Params>;

export const zoneOutage: FaultType<Params> = {
  type: 'zone-outage',
  summary: `A whole zone down at once: every node labelled ${ZONE_LABEL}=<zone> stopped or cut off`,
  params: Params,
  describe(params, fault) {
    const zone = params.zone ?? 'the first zone holding workers';
    const end = fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)}` : '  at the end of the run';
    return params.mode === 'stop'
      ? [`T+${durationText(fault.at)} stop every node in ${zone}`, `${end} start them again`]
      : [`T+${durationText(fault.at)} cut every node in ${zone} off from the other zones and the API server (chain ${chainName(fault.id)})`, `${end} heal: remove the chain`];
  },
  async inject(ctx, params) {
    const nodes = await ctx.kube.listNodes();
    const zones = [...new Set(nodes.map((n) => n.labels[ZONE_LABEL]).filter((z): z is string => Boolean(z)))].sort();
    if (!zones.length) throw new InfraError(`zone-outage: no node carries ${ZONE_LABEL}; label the workers with their zones (kind clusters shakedown makes have zone-a and zone-b)`);
    const machines = await ctx.nodes.list();
    const workers = new Set(machines.filter((m) => m.role === 'worker').map((m) => m.name));
    const zone = params.zone ?? zones.find((z) => nodes.some((n) => n.labels[ZONE_LABEL] === z && workers.has(n.name)));
    if (!zone || !zones.includes(zone)) throw new InfraError(`zone-outage (params.zone): no node is in zone ${params.zone} (zones: ${zones.join(', ')})`);
    const down = nodes.filter((n) => n.labels[ZONE_LABEL] === zone).map((n) => n.name);
    if (down.some((n) => !workers.has(n))) throw new InfraError(`zone-outage: zone ${zone} holds a control-plane node (${down.filter((n) => !workers.has(n)).join(', ')}); shakedown takes only workers down`);
    ctx.detail('zone', zone);
    ctx.detail('nodes', down);
    if (params.mode === 'stop') {
      for (const node of down) {
        ctx.cleanup.register(ctx.fault.id, 'zone-outage/start', { node }, `start node ${node}`);
        await ctx.nodes.stop(node, { timeoutSeconds: 10 });
      }
      ctx.disrupt({ kind: 'nodes-stopped', nodes: down, zone, message: `zone ${zone} down: ${down.join(', ')} stopped` });
      return;
    }
    const chain = chainName(ctx.fault.id);
    const comment = `shakedown:${ctx.runId}:${ctx.fault.id}`;
    const peers = peersOf(nodes, down);
    if (!peers.length) throw new InfraError(`zone-outage: no node outside zone ${zone} to cut it off from`);
    for (const node of down) {
      ctx.cleanup.register(ctx.fault.id, 'zone-outage/heal', { node, chain, comment }, `heal ${node} (remove chain ${chain})`);
      for (const command of partitionCommands(chain, comment, peers)) {
        const out = await ctx.nodes.exec(node, command);
        if (out.exitCode !== 0) throw new InfraError(`zone-outage: ${command.join(' ')} on ${node} failed: ${out.output.trim()}`);
      }
    }
    ctx.disrupt({ kind: 'nodes-cut-off', nodes: down, zone, message: `zone ${zone} cut off: ${down.join(', ')}` });
  },
  reverts: { start: startNode, heal: healNode },
};

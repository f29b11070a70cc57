// node-restart: a node's machine reboots: stopped and started at once. The
// start is ledgered first, so a crash between the two still brings it back.
import { z } from 'zod';
import { durationText } from '../../scenario/duration.ts';
import type { FaultType } from '../types.ts';
import { startNode } from '../node-stop/index.ts';
import { pickWorkers } from '../shared/nodes.ts';

const Params = z.strictObject({
  nodes: z.array(z.string().min(1)).optional().describe('default: the first `count` workers'),
  count: z.number().int().min(1).max(8).default(1),
  kill: z.boolean().default(false),
});
type Params = z.output<typeof Params>;

export const nodeRestart: FaultType<Params> = {
  type: 'node-restart',
  summary: "Reboot nodes' machines (stop, then start at once)",
  params: Params,
  aims: (p) => (p.nodes ? { nodes: { names: p.nodes, field: 'nodes' } } : {}),
  describe: (params, fault) => [`T+${durationText(fault.at)} reboot ${params.nodes?.join(', ') ?? `${params.count} worker(s)`}${params.kill ? ' (power cut)' : ''}`],
  async inject(ctx, params) {
    const nodes = await pickWorkers(ctx, { ...(params.nodes && { nodes: params.nodes }), count: params.count });
    for (const node of nodes) {
      const start = ctx.cleanup.register(ctx.fault.id, 'node-restart/start', { node }, `start node ${node}`);
      await ctx.nodes.stop(node, { kill: params.kill, timeoutSeconds: 10 });
      ctx.disrupt({ kind: 'nodes-stopped', nodes: [node], message: `${node} rebooting` });
      await ctx.nodes.start(node);
      ctx.cleanup.forget(start);
    }
    ctx.detail('nodes', nodes);
  },
  reverts: { start: startNode },
};

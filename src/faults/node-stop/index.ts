// node-stop: a node's machine stops (gracefully, or killed) for the fault's
// duration, then starts again. The start is ledgered before the stop.
import { z } from 'zod';
import { durationText } from '../../scenario/duration.ts';
import type { RevertHandler } from '../../core/reverts.ts';
import type { FaultType } from '../types.ts';
import { pickWorkers } from '../shared/nodes.ts';

const Params = z.strictObject({
  nodes: z.array(z.string().min(1)).optional().describe('default: the first `count` workers'),
  count: z.number().int().min(1).max(8).default(1),
  kill: z.boolean().default(false).describe('cut the power instead of a graceful shutdown'),
});
type Params = z.output<typeof Params>;

/** Idempotent: a node whose machine already runs needs nothing. */
export const startNode: RevertHandler = async (args: { node: string }, ctx) => {
  const machine = (await ctx.nodes!.list()).find((m) => m.name === args.node);
  if (machine?.running) return;
  await ctx.nodes!.start(args.node);
};

export const nodeStop: FaultType<Params> = {
  type: 'node-stop',
  summary: "Stop nodes' machines for the fault window, then start them again",
  params: Params,
  aims: (p) => (p.nodes ? { nodes: { names: p.nodes, field: 'nodes' } } : {}),
  describe(params, fault) {
    return [
      `T+${durationText(fault.at)} ${params.kill ? 'kill' : 'stop'} ${params.nodes?.join(', ') ?? `${params.count} worker(s)`}`,
      fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)} start them again` : '  start them again at the end of the run',
    ];
  },
  async inject(ctx, params) {
    const nodes = await pickWorkers(ctx, { ...(params.nodes && { nodes: params.nodes }), count: params.count });
    for (const node of nodes) {
      ctx.cleanup.register(ctx.fault.id, 'node-stop/start', { node }, `start node ${node}`);
      await ctx.nodes.stop(node, { kill: params.kill, timeoutSeconds: 10 });
    }
    ctx.detail('nodes', nodes);
    ctx.disrupt({ kind: 'nodes-stopped', nodes, message: `${nodes.join(', ')} stopped` });
  },
  reverts: { start: startNode },
};

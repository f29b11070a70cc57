// Reverts of spot-drain. Each is idempotent: run twice, or after a crash
// when the change was only half made, it ends in the same state.
import type { RevertHandler } from '../../runner/cleanup.ts';
import type { KubeApi } from '../../kube/api.ts';

export const SPARE_TAINT = 'shakedown.dev/spare';

export const restoreNode: RevertHandler = async (args: { node: string; taint: string }, ctx) => {
  const machines = await ctx.nodes!.list();
  const machine = machines.find((m) => m.name === args.node);
  if (machine && !machine.running) await ctx.nodes!.start(args.node);
  await ctx.kube!.removeTaint(args.node, args.taint, 'NoSchedule');
  await ctx.kube!.setUnschedulable(args.node, false);
};

export async function untaintSpare(kube: KubeApi, node: string): Promise<void> {
  await kube.removeTaint(node, SPARE_TAINT, 'NoSchedule');
}

export const retaintSpare: RevertHandler = async (args: { node: string }, ctx) => {
  await ctx.kube!.addTaint(args.node, { key: SPARE_TAINT, value: 'true', effect: 'NoSchedule' });
};

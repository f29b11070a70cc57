// Reverts of spot-drain. Each is idempotent: run twice, or after a crash
// when the change was only half made, it ends in the same state.
import type { RevertHandler } from '../../core/reverts.ts';
import type { KubeApi } from '../../core/kube-api.ts';
import { SPARE_TAINT } from '../../core/node-roles.ts';

/** `start: false` when the fault never stops the machine (terminate: none, as on an existing cluster). */
export const restoreNode: RevertHandler = async (args: { node: string; taint: string; start?: boolean }, ctx) => {
  // The API objects first: a machine that cannot be started must not also leave the node cordoned.
  await ctx.kube!.removeTaint(args.node, args.taint, 'NoSchedule');
  await ctx.kube!.setUnschedulable(args.node, false);
  if (args.start === false) return;
  const machine = (await ctx.nodes!.list()).find((m) => m.name === args.node);
  if (machine && !machine.running) await ctx.nodes!.start(args.node);
};

export async function untaintSpare(kube: KubeApi, node: string): Promise<void> {
  await kube.removeTaint(node, SPARE_TAINT, 'NoSchedule');
}

export const retaintSpare: RevertHandler = async (args: { node: string }, ctx) => {
  await ctx.kube!.addTaint(args.node, { key: SPARE_TAINT, value: 'true', effect: 'NoSchedule' });
};

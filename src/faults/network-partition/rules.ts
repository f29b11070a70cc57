// The iptables rules of a partition, inside a node's own network namespace.
// They live in a dedicated chain named after the fault, hooked in the raw
// (incoming) and mangle (outgoing) tables: those run before kube-proxy's
// and the CNI's filter rules, which would otherwise accept pod traffic
// first. Healing removes exactly that chain.
import type { NodeRuntime } from '../../core/cluster.ts';
import type { RevertHandler } from '../../core/reverts.ts';

const HOOKS: Array<{ table: 'raw' | 'mangle'; hook: string; match: string[] }> = [
  { table: 'raw', hook: 'PREROUTING', match: ['-i', 'eth0'] },
  { table: 'mangle', hook: 'POSTROUTING', match: ['-o', 'eth0'] },
];

export function chainName(faultId: string): string {
  // iptables chain names are at most 28 characters.
  return `SHK-PART-${faultId}`.slice(0, 28);
}

/** Commands that cut the node off: everything in or out of its network interface except to `keep` (e.g. the API server when only workers are cut). */
export function partitionCommands(chain: string, comment: string, peers: string[]): string[][] {
  const commands: string[][] = [];
  for (const { table, hook, match } of HOOKS) {
    commands.push(['iptables', '-w', '-t', table, '-N', chain]);
    const dir = hook === 'PREROUTING' ? '-s' : '-d';
    if (peers.length) for (const peer of peers) commands.push(['iptables', '-w', '-t', table, '-A', chain, dir, peer, '-m', 'comment', '--comment', comment, '-j', 'DROP']);
    else commands.push(['iptables', '-w', '-t', table, '-A', chain, '-m', 'comment', '--comment', comment, '-j', 'DROP']);
    commands.push(['iptables', '-w', '-t', table, '-I', hook, '1', ...match, '-m', 'comment', '--comment', comment, '-j', chain]);
  }
  return commands;
}

/** Removes the chain and its hooks; missing pieces are fine (idempotent). */
export async function heal(nodes: NodeRuntime, node: string, chain: string, comment: string): Promise<void> {
  for (const { table, hook, match } of HOOKS) {
    for (let i = 0; i < 10; i++) {
      const out = await nodes.exec(node, ['iptables', '-w', '-t', table, '-D', hook, ...match, '-m', 'comment', '--comment', comment, '-j', chain]);
      if (out.exitCode !== 0) break;
    }
    await nodes.exec(node, ['iptables', '-w', '-t', table, '-F', chain]);
    await nodes.exec(node, ['iptables', '-w', '-t', table, '-X', chain]);
  }
}

export async function hasChain(nodes: NodeRuntime, node: string, chain: string): Promise<boolean> {
  const out = await nodes.exec(node, ['iptables', '-w', '-t', 'raw', '-S', chain]);
  return out.exitCode === 0;
}

/** The revert of a node's partition, as ledgered. */
export const healNode: RevertHandler = async (args: { node: string; chain: string; comment: string }, ctx) => {
  const machine = (await ctx.nodes!.list()).find((m) => m.name === args.node);
  // A stopped or deleted node lost its network namespace, and the rules with it.
  if (!machine?.running) return;
  await heal(ctx.nodes!, args.node, args.chain, args.comment);
};

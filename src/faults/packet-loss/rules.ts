// The iptables rules of a packet loss, inside a node's own network
// namespace: `-m statistic --mode random` drops each matching packet with
// the given probability, so no netem is needed. Two chains per fault, each
// hooked once, so a packet meets each drop at most once on its node:
//   - into a pod: mangle POSTROUTING, after kube-proxy's DNAT, so traffic
//     that reached the pod through a Service or NodePort on the same node
//     is matched too;
//   - out of a pod: mangle PREROUTING, before any SNAT rewrites its source.
// For a whole node, its own interface: in at PREROUTING, out at POSTROUTING.
import type { NodeRuntime } from '../../core/cluster.ts';
import type { RevertHandler } from '../../core/reverts.ts';

export type Direction = 'both' | 'ingress' | 'egress';

type Hook = 'PREROUTING' | 'POSTROUTING';
const HOOKS: Hook[] = ['PREROUTING', 'POSTROUTING'];

export function chains(faultId: string): { ingress: string; egress: string } {
  // iptables chain names are at most 28 characters.
  return { ingress: `SHK-LOSS-IN-${faultId}`.slice(0, 28), egress: `SHK-LOSS-OUT-${faultId}`.slice(0, 28) };
}

/** What a node drops: traffic to and from these pod IPs, or all of its own traffic when `ips` is absent. */
export interface LossTarget {
  ips?: string[];
  direction: Direction;
  probability: number;
  /**
   * Only the traffic of these ports of the target, every port when absent: into
   * it by destination port, out of it by source port (its answers). A DNS outage
   * drops 53 over UDP and TCP into the CoreDNS pods.
   */
  ports?: Array<{ protocol: 'udp' | 'tcp'; port: number }>;
  /** A whole node's device when no pod IPs are named: eth0, the cluster network (the default), or lo, what the machine says to itself (etcd's clients). */
  device?: 'eth0' | 'lo';
}

const statistic = (probability: number) => ['-m', 'statistic', '--mode', 'random', '--probability', probability.toFixed(4)];

export function lossCommands(faultId: string, comment: string, target: LossTarget): string[][] {
  const { ingress, egress } = chains(faultId);
  const commands: string[][] = [];
  const add = (chain: string, hook: Hook, matches: string[][]) => {
    commands.push(['iptables', '-w', '-t', 'mangle', '-N', chain]);
    for (const match of matches) commands.push(['iptables', '-w', '-t', 'mangle', '-A', chain, ...match, ...statistic(target.probability), '-m', 'comment', '--comment', comment, '-j', 'DROP']);
    commands.push(['iptables', '-w', '-t', 'mangle', '-I', hook, '1', '-m', 'comment', '--comment', comment, '-j', chain]);
  };
  const ips = target.ips;
  const device = target.device ?? 'eth0';
  // Each address match once per port, or once alone.
  const onPorts = (matches: string[][], side: '--dport' | '--sport') => (target.ports ? matches.flatMap((m) => target.ports!.map((p) => [...m, '-p', p.protocol, side, String(p.port)])) : matches);
  if (target.direction !== 'egress') add(ingress, ips ? 'POSTROUTING' : 'PREROUTING', onPorts(ips ? ips.map((ip) => ['-d', ip]) : [['-i', device]], '--dport'));
  if (target.direction !== 'ingress') add(egress, ips ? 'PREROUTING' : 'POSTROUTING', onPorts(ips ? ips.map((ip) => ['-s', ip]) : [['-o', device]], '--sport'));
  return commands;
}

/** Removes both chains and their hooks; missing pieces are fine (idempotent). */
export async function removeLoss(nodes: NodeRuntime, node: string, faultId: string, comment: string): Promise<void> {
  for (const chain of Object.values(chains(faultId))) {
    for (const hook of HOOKS) {
      for (let i = 0; i < 10; i++) {
        const out = await nodes.exec(node, ['iptables', '-w', '-t', 'mangle', '-D', hook, '-m', 'comment', '--comment', comment, '-j', chain]);
        if (out.exitCode !== 0) break;
      }
    }
    await nodes.exec(node, ['iptables', '-w', '-t', 'mangle', '-F', chain]);
    await nodes.exec(node, ['iptables', '-w', '-t', 'mangle', '-X', chain]);
  }
}

/** The revert of a node's chains, as ledgered. */
export const removeNodeLoss: RevertHandler = async (args: { node: string; faultId: string; comment: string }, ctx) => {
  const machine = (await ctx.nodes!.list()).find((m) => m.name === args.node);
  // A stopped or deleted node lost its network namespace, and the rules with it.
  if (!machine?.running) return;
  await removeLoss(ctx.nodes!, args.node, args.faultId, args.comment);
};

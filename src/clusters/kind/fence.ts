// The fence: a Docker bridge network that shakedown creates for a cluster,
// and host rules that reject whatever that bridge would forward anywhere but
// back into itself. Pods, load and probes then reach nothing off the machine.
// Rules are tagged with an iptables comment so delete removes exactly ours.
import { createHash } from 'node:crypto';
import { exec, must } from '../../tools/exec.ts';
import { createNetwork, networkSubnet, removeNetwork, subnetsInUse, type NetworkCreateOptions } from './engine.ts';

export interface FencedNetwork {
  network: string;
  bridge: string;
  subnet: string;
}

const CHAIN = 'DOCKER-USER';
export const NETWORK_LABEL = 'dev.shakedown.cluster';

export function fenceTag(cluster: string): string {
  return `shakedown:${cluster}`;
}

export function bridgeName(cluster: string): string {
  // Linux caps interface names at 15 characters.
  return `shk-${createHash('sha256').update(cluster).digest('hex').slice(0, 8)}`;
}

/** Creates (or finds) the cluster's own bridge network on a free 172.30.x.0/24. */
export async function ensureNetwork(cluster: string, network: string): Promise<FencedNetwork> {
  const bridge = bridgeName(cluster);
  const existing = await networkSubnet(network);
  if (existing !== undefined) return { network, bridge, subnet: existing };
  const subnet = freeSubnet(cluster, await subnetsInUse());
  if (!subnet) throw new Error('no free 172.30.x.0/24 subnet for the cluster network');
  await createNetwork(fencedNetworkOptions(cluster, network, subnet, bridge));
  return { network, bridge, subnet };
}

/** The first free 172.30.x.0/24, starting where the cluster's name hashes to so that clusters rarely race for one. */
export function freeSubnet(cluster: string, used: Set<string>): string | undefined {
  const start = createHash('sha256').update(cluster).digest()[0]!;
  for (let i = 0; i < 256; i++) {
    const subnet = `172.30.${(start + i) % 256}.0/24`;
    if (!used.has(subnet)) return subnet;
  }
  return undefined;
}

/** `docker network create -d bridge --subnet … -o bridge.name=… -o enable_ip_masquerade=true --label …`: a named bridge the fence rules can match. */
export function fencedNetworkOptions(cluster: string, network: string, subnet: string, bridge: string): NetworkCreateOptions {
  return {
    Name: network,
    CheckDuplicate: true,
    Driver: 'bridge',
    IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
    Options: { 'com.docker.network.bridge.name': bridge, 'com.docker.network.bridge.enable_ip_masquerade': 'true' },
    Labels: { [NETWORK_LABEL]: cluster },
  };
}

export { removeNetwork };

/** Our rules in DOCKER-USER, as `iptables -S` prints them. */
export async function fenceRules(cluster: string, binary = 'iptables'): Promise<string[]> {
  const out = await exec(binary, ['-w', '-S', CHAIN]);
  if (out.exitCode !== 0) return [];
  return out.stdout.split('\n').filter((line) => line.includes(`"${fenceTag(cluster)}"`) || line.includes(` ${fenceTag(cluster)} `) || line.endsWith(` ${fenceTag(cluster)}`));
}

/** Inserts the reject rules above Docker's RETURN; TCP reset first so connections fail in ms, not after a SYN retry. */
export async function installFence(cluster: string, bridge: string): Promise<void> {
  await removeFence(cluster);
  const comment = ['-m', 'comment', '--comment', fenceTag(cluster)];
  const match = ['-i', bridge, '!', '-o', bridge];
  // -I puts each rule at the top, so insert the catch-all first and the TCP reset last.
  await must('iptables', ['-w', '-I', CHAIN, ...match, ...comment, '-j', 'REJECT', '--reject-with', 'icmp-admin-prohibited']);
  await must('iptables', ['-w', '-I', CHAIN, ...match, '-p', 'tcp', ...comment, '-j', 'REJECT', '--reject-with', 'tcp-reset']);
}

export async function removeFence(cluster: string): Promise<void> {
  for (const rule of await fenceRules(cluster)) {
    const args = splitRule(rule.replace(/^-A /, '-D '));
    await must('iptables', ['-w', ...args]);
  }
}

/** Splits an `iptables -S` line into arguments, honouring double quotes. */
export function splitRule(line: string): string[] {
  const args: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|(\S+)/g)) args.push(match[1] ?? match[2]!);
  return args;
}

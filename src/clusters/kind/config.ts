// Builds the kind cluster config for a scenario from the committed per-CNI
// config under clusters/kind/: its networking and patches are kept, the
// node list is generated (1 control-plane, N workers, M tainted spares).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { InfraError } from '../../errors.ts';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PROJECT_ROOT } from '../../tools/paths.ts';
import { SPARE_LABEL, SPARE_TAINT, ZONE_LABEL } from '../../core/node-roles.ts';

export const CLUSTER_LABEL = 'shakedown.dev/cluster';
export const CONFIG_HASH_LABEL = 'shakedown.dev/config-hash';

export interface KindConfigInput {
  cluster: string;
  cni: string;
  workers: number;
  spare: number;
  /** Cluster-wide kubeadm patches added to the base config's own. */
  kubeadmPatches?: string[];
  /** Node image: part of the config hash, so a rebuilt image means a new cluster. */
  image?: string;
}

type KindNode = { role: 'control-plane' | 'worker'; labels?: Record<string, string>; kubeadmConfigPatches?: string[] };
type KindConfig = { kind: string; apiVersion: string; nodes?: KindNode[]; [key: string]: unknown };

export function baseConfigPath(cni: string): string {
  return join(PROJECT_ROOT, 'clusters', 'kind', `${cni}.yaml`);
}

function readBase(cni: string): string {
  if (!existsSync(baseConfigPath(cni))) {
    throw new InfraError(`no kind config for CNI ${cni}: clusters/kind/${cni}.yaml is missing`);
  }
  return readFileSync(baseConfigPath(cni), 'utf8');
}

export function buildKindConfig(input: KindConfigInput, baseText = readBase(input.cni)): { yaml: string; hash: string } {
  const base = parse(baseText) as KindConfig;
  const { nodes: _ignored, ...rest } = base;
  const patches = [...((rest.kubeadmConfigPatches as string[] | undefined) ?? []), ...(input.kubeadmPatches ?? [])];
  if (patches.length) rest.kubeadmConfigPatches = [...new Set(patches)];
  const hash = createHash('sha256')
    .update(JSON.stringify({ rest, patches, workers: input.workers, spare: input.spare, cni: input.cni, image: input.image }))
    .digest('hex')
    .slice(0, 12);
  const labels = { [CLUSTER_LABEL]: input.cluster, [CONFIG_HASH_LABEL]: hash };
  const nodes: KindNode[] = [{ role: 'control-plane', labels }];
  // Workers in two zones, in turn, so a zone outage and zone spread have something to act on.
  const zone = (i: number) => ({ [ZONE_LABEL]: `zone-${String.fromCharCode(97 + (i % 2))}` });
  for (let i = 0; i < input.workers; i++) nodes.push({ role: 'worker', labels: { ...labels, ...zone(i) } });
  for (let i = 0; i < input.spare; i++) {
    nodes.push({
      role: 'worker',
      labels: { ...labels, [SPARE_LABEL]: 'spare', ...zone(input.workers + i) },
      // Spares take no pods until a spot replacement untaints them.
      kubeadmConfigPatches: [stringify({ kind: 'JoinConfiguration', nodeRegistration: { taints: [{ key: SPARE_TAINT, value: 'true', effect: 'NoSchedule' }] } })],
    });
  }
  return { yaml: stringify({ ...rest, nodes }), hash };
}

/** kind's pod CIDR: the config's networking.podSubnet, else kind's default. */
export function podSubnetOf(configYaml: string): string {
  const config = parse(configYaml) as { networking?: { podSubnet?: string } };
  return config.networking?.podSubnet ?? '10.244.0.0/16';
}

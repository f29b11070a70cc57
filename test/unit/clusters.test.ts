import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CNI_REGISTRY } from '../../src/clusters/cni/registry.ts';
import { buildKindConfig, podSubnetOf } from '../../src/clusters/kind/config.ts';
import { bridgeName, splitRule } from '../../src/clusters/kind/fence.ts';
import { chooseCni } from '../../src/clusters/kind/provider.ts';

describe('kind cluster config', () => {
  it('generates 1 control-plane, N workers and tainted, labelled spares, keeping the base patches', () => {
    const { yaml } = buildKindConfig({ cluster: 'c', cni: 'kube-router', workers: 2, spare: 1, kubeadmPatches: ['kind: ClusterConfiguration\nimageRepository: shakedown\n'] });
    const config = parse(yaml) as { nodes: Array<{ role: string; labels: Record<string, string>; kubeadmConfigPatches?: string[] }>; kubeadmConfigPatches: string[] };
    expect(config.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker', 'worker']);
    expect(config.nodes[3]!.labels['shakedown.dev/role']).toBe('spare');
    expect(config.nodes[3]!.kubeadmConfigPatches?.[0]).toContain('shakedown.dev/spare');
    expect(config.nodes.every((n) => n.labels['shakedown.dev/cluster'] === 'c')).toBe(true);
    expect(config.kubeadmConfigPatches.filter((p) => p.includes('imageRepository: shakedown'))).toHaveLength(1);
    // Workers (spares too) in two zones in turn; the control plane in none.
    expect(config.nodes.map((n) => n.labels['topology.kubernetes.io/zone'])).toEqual([undefined, 'zone-a', 'zone-b', 'zone-a']);
  });

  it('hashes what makes a cluster reusable: workers, CNI and image', () => {
    const base = { cluster: 'c', cni: 'kube-router', workers: 2, spare: 1, image: 'a' };
    const hash = (o: object) => buildKindConfig({ ...base, ...o }).hash;
    expect(hash({})).toBe(hash({}));
    expect(hash({ workers: 3 })).not.toBe(hash({}));
    expect(hash({ image: 'b' })).not.toBe(hash({}));
  });

  it("has a kind config for every registered CNI; those shakedown applies itself turn off kind's default", () => {
    for (const cni of Object.values(CNI_REGISTRY)) {
      const config = parse(buildKindConfig({ cluster: 'c', cni: cni.name, workers: 2, spare: 0 }).yaml) as { networking?: { disableDefaultCNI?: boolean } };
      expect(Boolean(config.networking?.disableDefaultCNI), cni.name).toBe(Boolean(cni.install));
    }
    expect(() => buildKindConfig({ cluster: 'c', cni: 'weave', workers: 2, spare: 0 })).toThrow('clusters/kind/weave.yaml is missing');
  });

  it('reads the pod CIDR a CNI must use from the kind config', () => {
    expect(podSubnetOf(buildKindConfig({ cluster: 'c', cni: 'calico', workers: 2, spare: 0 }).yaml)).toBe('192.168.0.0/16');
    expect(podSubnetOf(buildKindConfig({ cluster: 'c', cni: 'kube-router-no-firewall', workers: 2, spare: 0 }).yaml)).toBe('10.244.0.0/16');
  });

  it('matches the CNI to the node image, and says why when they cannot go together', () => {
    const built = { image: 'shakedown/node:v1', source: 'built-locally', imageRepository: 'shakedown' } as const;
    const upstream = { image: 'kindest/node', source: 'upstream' } as const;
    expect(chooseCni('auto', built).name).toBe('kube-router');
    expect(chooseCni('auto', upstream).name).toBe('kindnet');
    expect(chooseCni('calico', upstream).name).toBe('calico');
    expect(() => chooseCni('kindnet', built)).toThrow('CNI kindnet needs images from a public registry');
    expect(() => chooseCni('kube-router-no-firewall', upstream)).toThrow('runs from images built on this machine');
  });
});

describe('fence', () => {
  it('names bridges within the 15-character interface limit', () => {
    expect(bridgeName('a-very-long-cluster-name-indeed').length).toBeLessThanOrEqual(15);
  });
  it('splits iptables -S lines with quoted comments', () => {
    expect(splitRule('-A DOCKER-USER -i shk-1 ! -o shk-1 -m comment --comment "shakedown:c" -j REJECT')).toEqual(['-A', 'DOCKER-USER', '-i', 'shk-1', '!', '-o', 'shk-1', '-m', 'comment', '--comment', 'shakedown:c', '-j', 'REJECT']);
  });
});

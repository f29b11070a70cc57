import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildKindConfig } from '../../src/clusters/kind/config.ts';
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
  });

  it('hashes what makes a cluster reusable: workers, CNI and image', () => {
    const base = { cluster: 'c', cni: 'kube-router', workers: 2, spare: 1, image: 'a' };
    const hash = (o: object) => buildKindConfig({ ...base, ...o }).hash;
    expect(hash({})).toBe(hash({}));
    expect(hash({ workers: 3 })).not.toBe(hash({}));
    expect(hash({ image: 'b' })).not.toBe(hash({}));
  });

  it('says plainly which CNIs are not set up', () => {
    expect(() => buildKindConfig({ cluster: 'c', cni: 'calico', workers: 2, spare: 0 })).toThrow('Calico and Cilium are not set up yet');
    expect(() => chooseCni('kindnet', { image: 'x', source: 'built-locally', imageRepository: 'shakedown' })).toThrow('needs images from a public registry');
    expect(chooseCni('auto', { image: 'x', source: 'built-locally', imageRepository: 'shakedown' })).toBe('kube-router');
    expect(chooseCni('auto', { image: 'kindest/node', source: 'upstream' })).toBe('kindnet');
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

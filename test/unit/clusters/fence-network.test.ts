// The fence's own network: found when it exists, otherwise created on a free
// 172.30.x.0/24 as a named, masquerading bridge labelled with its cluster.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NetworkCreateOptions } from '../../../src/clusters/kind/engine.ts';

const fake = vi.hoisted(() => ({ networks: new Map<string, string>(), inUse: new Set<string>(), created: [] as unknown[] }));
vi.mock('../../../src/clusters/kind/engine.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/clusters/kind/engine.ts')>()),
  networkSubnet: async (name: string) => fake.networks.get(name),
  subnetsInUse: async () => fake.inUse,
  createNetwork: async (options: NetworkCreateOptions) => {
    fake.created.push(options);
  },
}));
const { bridgeName, ensureNetwork, fencedNetworkOptions, freeSubnet, NETWORK_LABEL } = await import('../../../src/clusters/kind/fence.ts');

beforeEach(() => {
  fake.networks.clear();
  fake.inUse = new Set();
  fake.created.length = 0;
});

describe('picking a subnet', () => {
  it('starts where the cluster name hashes to, and steps past subnets in use', () => {
    const first = freeSubnet('shk', new Set())!;
    expect(first).toMatch(/^172\.30\.\d+\.0\/24$/);
    expect(freeSubnet('shk', new Set())).toBe(first);
    const third = Number(first.split('.')[2]);
    const used = new Set([first, `172.30.${(third + 1) % 256}.0/24`]);
    expect(freeSubnet('shk', used)).toBe(`172.30.${(third + 2) % 256}.0/24`);
  });

  it('finds none when every 172.30.x.0/24 is taken', () => {
    const all = new Set(Array.from({ length: 256 }, (_, i) => `172.30.${i}.0/24`));
    expect(freeSubnet('shk', all)).toBeUndefined();
  });
});

describe('the fenced network', () => {
  it('is a bridge with our interface name, masquerading, labelled with the cluster', () => {
    expect(fencedNetworkOptions('shk', 'shakedown-shk', '172.30.9.0/24', 'shk-12345678')).toEqual({
      Name: 'shakedown-shk',
      CheckDuplicate: true,
      Driver: 'bridge',
      IPAM: { Driver: 'default', Config: [{ Subnet: '172.30.9.0/24' }] },
      Options: { 'com.docker.network.bridge.name': 'shk-12345678', 'com.docker.network.bridge.enable_ip_masquerade': 'true' },
      Labels: { [NETWORK_LABEL]: 'shk' },
    });
  });

  it('is reused as it is when it exists', async () => {
    fake.networks.set('shakedown-shk', '172.30.44.0/24');
    expect(await ensureNetwork('shk', 'shakedown-shk')).toEqual({ network: 'shakedown-shk', bridge: bridgeName('shk'), subnet: '172.30.44.0/24' });
    expect(fake.created).toEqual([]);
  });

  it('is created on a subnet no other network holds', async () => {
    const taken = freeSubnet('shk', new Set())!;
    fake.inUse = new Set([taken, '172.17.0.0/16']);
    const net = await ensureNetwork('shk', 'shakedown-shk');
    expect(net.subnet).not.toBe(taken);
    expect(fake.created).toEqual([fencedNetworkOptions('shk', 'shakedown-shk', net.subnet, bridgeName('shk'))]);
  });

  it('says so when no subnet is free', async () => {
    fake.inUse = new Set(Array.from({ length: 256 }, (_, i) => `172.30.${i}.0/24`));
    await expect(ensureNetwork('shk', 'shakedown-shk')).rejects.toThrow('no free 172.30.x.0/24 subnet for the cluster network');
    expect(fake.created).toEqual([]);
  });
});

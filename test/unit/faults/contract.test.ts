// The contract between faults and assertions: whatever a fault does to
// nodes or pods, it reports to the disruption tracker, or the assertions
// judge a cluster they think is whole. A new fault in the registry without
// a world here fails the first test.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { faultTypes } from '../../../src/faults/registry.ts';
import type { DisruptionKind } from '../../../src/core/disruptions.ts';
import { FakeKube, FakeNodes } from '../../support/fakes.ts';
import { faultContext, pod } from './support.ts';

/** What each fault type is tried with: its parameters and the disruptions its changes demand. */
const TRIALS: Record<string, { params: unknown; duration?: number; prepare?: (world: ReturnType<typeof recordingWorld>) => () => void }> = {
  'control-plane-outage': { params: {} },
  'control-plane-outage (etcd)': { params: { target: 'etcd' } },
  'dns-outage': { params: { namespace: 'stack', selector: 'app=web' } },
  'network-partition': { params: {} },
  'node-restart': { params: {} },
  'node-stop': { params: {} },
  'packet-loss': { params: { selector: 'app=web', probability: 0.3 } },
  'packet-loss (nodes)': { params: { count: 1, probability: 0.5, direction: 'ingress' } },
  'pod-kill': { params: { selector: 'app=web', count: 2 } },
  'resource-pressure': { params: {} },
  'resource-pressure (pods, memory)': { params: { resource: 'memory', selector: 'app=web' }, prepare: running },
  'spot-drain': { params: { notice: '1s' } },
  'spot-drain (gcp)': { params: { provider: 'gcp', notice: '1s' } },
  'zone-outage': { params: {}, prepare: zoned },
  'zone-outage (partition)': { params: { mode: 'partition' }, prepare: zoned },
  'rolling-upgrade': { params: { to: 'v1.35.4', drainTimeout: '2s', readyTimeout: '5s', apiSettle: '1s' }, prepare: upgradable },
};

/** Pods whose containers run, as the API reports them. */
function running({ kube }: ReturnType<typeof recordingWorld>): () => void {
  for (const p of kube.pods) p.containerIds = [`c-${p.name}`];
  return () => {};
}

/** Workers in two zones. */
function zoned({ kube }: ReturnType<typeof recordingWorld>): () => void {
  kube.node('w1').labels['topology.kubernetes.io/zone'] = 'zone-a';
  kube.node('w2').labels['topology.kubernetes.io/zone'] = 'zone-b';
  return () => {};
}

/** The new version's binaries on this machine, and kubelets that report it once restarted. */
function upgradable({ kube, nodes }: ReturnType<typeof recordingWorld>): () => void {
  for (const n of kube.nodes) n.kubeletVersion = 'v1.34.10';
  const exec = nodes.exec.bind(nodes);
  nodes.exec = async (node, command) => {
    if (command.at(-1)?.includes('systemctl restart kubelet')) kube.node(node).kubeletVersion = 'v1.35.4';
    return exec(node, command);
  };
  const saved = process.env.SHAKEDOWN_CACHE;
  const cache = mkdtempSync(join(tmpdir(), 'shakedown-contract-'));
  mkdirSync(join(cache, 'kubernetes', 'v1.35.4', 'bin'), { recursive: true });
  for (const b of ['kubeadm', 'kubelet', 'kubectl']) writeFileSync(join(cache, 'kubernetes', 'v1.35.4', 'bin', b), '');
  process.env.SHAKEDOWN_CACHE = cache;
  return () => {
    if (saved === undefined) delete process.env.SHAKEDOWN_CACHE;
    else process.env.SHAKEDOWN_CACHE = saved;
  };
}

/** A fake cluster that writes down every change made to it. */
function recordingWorld() {
  const kube = new FakeKube(['cp', 'w1', 'w2']);
  kube.nodes.forEach((n, i) => {
    Object.assign(n, { address: `172.30.0.${i + 2}`, podCIDR: `10.244.${i}.0/24` });
  });
  kube.pods = [pod('web-1', 'w1', { app: 'web' }), pod('web-2', 'w1', { app: 'web' }), pod('web-3', 'w2', { app: 'web' })];
  const nodes = new FakeNodes(['cp', 'w1', 'w2']);
  const changed = { nodesStopped: new Set<string>(), nodesCut: new Set<string>(), nodesLossy: new Set<string>(), controlPlaneCut: new Set<string>(), nodesPressed: new Set<string>(), podsGone: new Set<string>() };
  const stop = nodes.stop.bind(nodes);
  nodes.stop = async (node: string) => {
    changed.nodesStopped.add(node);
    await stop(node);
  };
  nodes.exec = async (node: string, command: string[]) => {
    // A DROP of the API server's or etcd's port cuts the control plane off; one that matches at random
    // loses some traffic; any other DROP cuts the node off.
    const controlPlanePort = ['6443', '2379'].some((port) => command.includes(port));
    if (command[0]?.startsWith('iptables') && command.includes('DROP')) (controlPlanePort ? changed.controlPlaneCut : command.includes('statistic') ? changed.nodesLossy : changed.nodesCut).add(node);
    // The harness's own probe of the API then goes unanswered, as on a real cluster.
    if (controlPlanePort && command.includes('DROP')) kube.answering = false;
    // A burner started on a node presses it, or pods on it.
    if (command.join(' ').includes('setsid') && command.join(' ').includes('shakedown-burn')) changed.nodesPressed.add(node);
    return { exitCode: 0, output: '' };
  };
  const evict = kube.evictPod.bind(kube);
  kube.evictPod = async (namespace: string, name: string) => {
    const result = await evict(namespace, name);
    if (result.outcome === 'evicted') changed.podsGone.add(`${namespace}/${name}`);
    return result;
  };
  const remove = kube.deletePod.bind(kube);
  kube.deletePod = async (namespace: string, name: string) => {
    changed.podsGone.add(`${namespace}/${name}`);
    await remove(namespace, name);
  };
  return { kube, nodes, changed };
}

describe('every fault reports what it disrupts', () => {
  it('every registered fault type is tried here', () => {
    const tried = new Set(Object.keys(TRIALS).map((k) => k.split(' ')[0]));
    expect(Object.keys(faultTypes).filter((t) => !tried.has(t))).toEqual([]);
  });

  for (const [name, trial] of Object.entries(TRIALS)) {
    it(`${name}: each node stopped or cut off and each pod removed is reported`, async () => {
      const type = faultTypes[name.split(' ')[0]!]!;
      const world = recordingWorld();
      const { kube, nodes, changed } = world;
      onTestFinished(trial.prepare?.(world) ?? (() => {}));
      const { ctx, params, disruptions } = faultContext(type, trial.params, { kube, nodes, ...(trial.duration !== undefined && { duration: trial.duration }) });
      await type.inject(ctx, params);
      const reported = (kinds: DisruptionKind[], key: 'nodes' | 'pods') =>
        new Set(
          disruptions
            .impacts()
            .filter((i) => kinds.includes(i.disruption.kind))
            .flatMap((i) => (i.disruption as unknown as Record<string, string[] | undefined>)[key] ?? []),
        );
      expect(changed.nodesStopped.size + changed.nodesCut.size + changed.nodesLossy.size + changed.controlPlaneCut.size + changed.nodesPressed.size + changed.podsGone.size).toBeGreaterThan(0);
      expect([...changed.nodesStopped].filter((n) => !reported(['nodes-stopped'], 'nodes').has(n))).toEqual([]);
      expect([...changed.nodesCut].filter((n) => !reported(['nodes-cut-off'], 'nodes').has(n))).toEqual([]);
      expect([...changed.nodesLossy].filter((n) => !reported(['traffic-degraded'], 'nodes').has(n))).toEqual([]);
      expect([...changed.controlPlaneCut].filter((n) => !reported(['control-plane-unreachable'], 'nodes').has(n))).toEqual([]);
      expect([...changed.nodesPressed].filter((n) => !reported(['resources-pressed'], 'nodes').has(n))).toEqual([]);
      expect([...changed.podsGone].filter((p) => !reported(['pods-evicted', 'pods-deleted'], 'pods').has(p))).toEqual([]);
      // And nothing is reported that did not happen.
      expect([...reported(['nodes-stopped'], 'nodes')].filter((n) => !changed.nodesStopped.has(n))).toEqual([]);
    });
  }
});

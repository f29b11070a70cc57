// rolling-upgrade over fakes: the version step kubeadm allows, the order,
// the commands each node gets, the drain through evictions that stops the
// upgrade where a budget holds, and nothing run without the new version's
// binaries and images.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rollingUpgrade } from '../../../src/faults/rolling-upgrade/index.ts';
import { upgradeImages } from '../../../src/faults/rolling-upgrade/artifacts.ts';
import { upgradeOrder, versionStep } from '../../../src/faults/rolling-upgrade/versions.ts';
import { FakeKube, FakeNodes } from '../../support/fakes.ts';
import { faultContext, pod } from './support.ts';

const TO = 'v1.35.4';

/** Machines that log every command and copy, and whose kubelet reports the new version once restarted. */
class UpgradingNodes extends FakeNodes {
  log: string[] = [];
  kube: FakeKube;
  failing?: RegExp;
  constructor(kube: FakeKube) {
    super(['kind-control-plane', 'kind-worker', 'kind-worker2']);
    this.kube = kube;
  }
  override async exec(node: string, command: string[]) {
    const script = command.at(-1)!;
    this.log.push(`${node}: ${script.split('\n')[0]}`);
    if (this.failing?.test(script)) return { exitCode: 1, output: '[upgrade/apply] FATAL: the control plane is not healthy' };
    if (script.includes('systemctl restart kubelet')) this.kube.node(node).kubeletVersion = TO;
    return { exitCode: 0, output: '' };
  }
  override async copyIn(node: string, _host: string, path: string) {
    this.log.push(`${node}: copy ${path}`);
  }
}

function setup(params: Record<string, unknown> = {}) {
  const kube = new FakeKube(['kind-control-plane', 'kind-worker', 'kind-worker2']);
  for (const n of kube.nodes) n.kubeletVersion = 'v1.34.10';
  const nodes = new UpgradingNodes(kube);
  kube.pods = [pod('web-1', 'kind-worker', { app: 'web' }), pod('web-2', 'kind-worker2', { app: 'web' })];
  return { ...faultContext(rollingUpgrade, { to: TO, drainTimeout: '2s', readyTimeout: '5s', apiSettle: '1s', ...params }, { kube, nodes }), upgrading: nodes };
}

let cache: string;
const saved = process.env.SHAKEDOWN_CACHE;
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'shakedown-upgrade-'));
  mkdirSync(join(cache, 'kubernetes', TO, 'bin'), { recursive: true });
  for (const b of ['kubeadm', 'kubelet', 'kubectl']) writeFileSync(join(cache, 'kubernetes', TO, 'bin', b), '');
  process.env.SHAKEDOWN_CACHE = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.SHAKEDOWN_CACHE;
  else process.env.SHAKEDOWN_CACHE = saved;
});

describe('rolling-upgrade', () => {
  it.each([
    [['v1.34.10', 'v1.34.10'], 'v1.35.4', { from: 'v1.34.10' }],
    [['v1.34.10', 'v1.34.2'], 'v1.34.10', { from: 'v1.34.2' }],
    [['v1.34.10'], 'v1.36.1', { refused: "v1.36.1 is more than one minor above the cluster's v1.34.10: kubeadm upgrades one minor at a time; go to v1.35.x first" }],
    [['v1.35.4'], 'v1.34.10', { refused: "v1.34.10 is older than the cluster's v1.35.4: kubeadm does not downgrade" }],
    [['v1.35.4', 'v1.35.4'], 'v1.35.4', { refused: 'every node already runs v1.35.4' }],
  ])('from kubelets %j to %s: %j', (kubelets, to, expected) => {
    expect(versionStep(kubelets, to)).toEqual(expected);
  });

  it('goes control plane first, then the workers by name', () => {
    const m = (name: string, role: 'control-plane' | 'worker') => ({ name, role, running: true, labels: {} });
    expect(upgradeOrder([m('w2', 'worker'), m('cp', 'control-plane'), m('w1', 'worker')]).map((n) => n.name)).toEqual(['cp', 'w1', 'w2']);
  });

  it("needs the images of the new version's minor, as its kubeadm names them", () => {
    expect(upgradeImages(TO)).toEqual([
      'shakedown/kube-apiserver:v1.35.4',
      'shakedown/kube-controller-manager:v1.35.4',
      'shakedown/kube-scheduler:v1.35.4',
      'shakedown/kube-proxy:v1.35.4',
      'shakedown/etcd:3.6.6-0',
      'shakedown/coredns:v1.13.1',
      'shakedown/pause:3.10.1',
    ]);
    expect(upgradeImages('v1.40.0')).toEqual([]);
  });

  it('stages the new version in every node, then upgrades each in turn: drain by eviction, kubeadm, new kubelet, Ready at the new version, uncordon', async () => {
    const { ctx, kube, upgrading, details, loaded } = setup();
    await rollingUpgrade.inject(ctx, ctx.fault.params as never);
    expect(loaded).toEqual(upgradeImages(TO));
    const steps = upgrading.log.filter((l) => !l.includes(': copy ') && !l.includes('mkdir'));
    expect(steps).toEqual([
      'kind-control-plane: /kind/upgrade/v1.35.4/kubeadm upgrade apply v1.35.4 --yes --ignore-preflight-errors=all',
      'kind-control-plane: install -m 0755 /kind/upgrade/v1.35.4/kubelet /usr/bin/kubelet',
      'kind-worker: /kind/upgrade/v1.35.4/kubeadm upgrade node --ignore-preflight-errors=all',
      'kind-worker: install -m 0755 /kind/upgrade/v1.35.4/kubelet /usr/bin/kubelet',
      'kind-worker2: /kind/upgrade/v1.35.4/kubeadm upgrade node --ignore-preflight-errors=all',
      'kind-worker2: install -m 0755 /kind/upgrade/v1.35.4/kubelet /usr/bin/kubelet',
    ]);
    // Every binary reached every node before the first upgrade.
    expect(upgrading.log.filter((l) => l.includes(': copy '))).toHaveLength(9);
    expect(upgrading.log.findIndex((l) => l.includes('upgrade apply'))).toBeGreaterThan(upgrading.log.findLastIndex((l) => l.includes(': copy ')));
    expect(kube.evictions).toEqual(['stack/web-1', 'stack/web-2']);
    expect(kube.nodes.every((n) => !n.unschedulable && n.kubeletVersion === TO)).toBe(true);
    expect(details.from).toBe('v1.34.10');
    expect((details.nodes as Array<{ node: string; evicted: number }>).map((n) => `${n.node}:${n.evicted}`)).toEqual(['kind-control-plane:0', 'kind-worker:1', 'kind-worker2:1']);
  });

  it('stops where a budget holds the drain past its timeout, naming the pod and the budget, and leaves the node uncordoned by its revert', async () => {
    const { ctx, kube, upgrading, cleanup } = setup();
    kube.blocked.set('web-1', 1_000);
    await expect(rollingUpgrade.inject(ctx, ctx.fault.params as never)).rejects.toThrow(
      /^the drain of kind-worker did not finish within 2s, so the upgrade stops there as kubectl drain would: stack\/web-1 \(Cannot evict pod as it would violate the pod's disruption budget/,
    );
    expect(upgrading.log.some((l) => l.startsWith('kind-worker: ') && l.includes('upgrade node'))).toBe(false);
    expect(kube.node('kind-worker').unschedulable).toBe(true);
    await cleanup.unwind('f1');
    expect(kube.node('kind-worker').unschedulable).toBe(false);
  });

  it('stops where an evicted pod is still on the node at the drain timeout (stuck terminating), rather than upgrade under it', async () => {
    const { ctx, kube, upgrading } = setup();
    // Evicted, but its kubelet never lets it go: a finalizer, or a preStop hook that hangs.
    kube.evictPod = async (namespace: string, name: string) => {
      kube.evictions.push(`${namespace}/${name}`);
      return { outcome: 'evicted' as const };
    };
    await expect(rollingUpgrade.inject(ctx, ctx.fault.params as never)).rejects.toThrow('the drain of kind-worker did not finish within 2s, so the upgrade stops there as kubectl drain would: evicted but still on the node (terminating): stack/web-1');
    expect(upgrading.log.some((l) => l.startsWith('kind-worker: ') && l.includes('upgrade node'))).toBe(false);
  });

  it("refuses before touching a node when this machine lacks the new version's binaries or images", async () => {
    const missingImage = setup();
    const noImages = faultContext(rollingUpgrade, { to: TO }, { kube: missingImage.kube, nodes: missingImage.upgrading, missingImages: ['shakedown/etcd:3.6.6-0'] });
    await expect(rollingUpgrade.inject(noImages.ctx, noImages.params)).rejects.toThrow('shakedown/etcd:3.6.6-0 is not in the local Docker engine, and the nodes have no registry to pull from: run `KUBERNETES_VERSION=v1.35.4 task cluster:images`');
    process.env.SHAKEDOWN_CACHE = mkdtempSync(join(tmpdir(), 'shakedown-empty-'));
    const { ctx, upgrading } = setup();
    await expect(rollingUpgrade.inject(ctx, ctx.fault.params as never)).rejects.toThrow(/kubeadm, kubelet, kubectl of v1\.35\.4 are not built on this machine .*: run `KUBERNETES_VERSION=v1\.35\.4 task cluster:images`/);
    expect(upgrading.log).toEqual([]);
  });

  it("waits, after the control plane's upgrade, for the API server to answer without a break before draining the next node", async () => {
    const { ctx, kube, upgrading } = setup({ apiSettle: '2s' });
    const logs: string[] = [];
    ctx.bus.on((e) => e.kind === 'log' && logs.push(e.message));
    // As seen on a real cluster: the node reports Ready at the new version, then its API server goes away for a while.
    const restart = upgrading.exec.bind(upgrading);
    upgrading.exec = async (node: string, command: string[]) => {
      const out = await restart(node, command);
      if (node === 'kind-control-plane' && command.at(-1)!.includes('systemctl restart kubelet')) {
        setTimeout(() => (kube.answering = false), 500);
        setTimeout(() => (kube.answering = true), 1500);
      }
      return out;
    };
    let drainedWhileDown = false;
    const evict = kube.evictPod.bind(kube);
    kube.evictPod = async (namespace: string, name: string) => {
      if (!kube.answering) drainedWhileDown = true;
      return evict(namespace, name);
    };
    const started = Date.now();
    await rollingUpgrade.inject(ctx, ctx.fault.params as never);
    expect(drainedWhileDown).toBe(false);
    expect(kube.evictions).toEqual(['stack/web-1', 'stack/web-2']);
    // Down from 0.5 s to 1.5 s, then 2 s without a break: nothing drained before 3.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(logs.find((l) => l.includes('answered steadily'))).toMatch(/^rolling-upgrade: the API server answered steadily for 2s, \d+ s after kind-control-plane was Ready at v1\.35\.4 \(1 break before that\)$/);
  });

  it('refuses an apiSettle as long as readyTimeout, which could never be met', () => {
    const parsed = rollingUpgrade.params.safeParse({ to: TO, readyTimeout: '30s', apiSettle: '30s' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toMatchObject([{ path: ['apiSettle'], message: 'must be shorter than readyTimeout, within which the API server must have answered steadily' }]);
  });

  it('an API error in a drain says which node the upgrade stopped at', async () => {
    const { ctx, kube } = setup();
    const cordon = kube.setUnschedulable.bind(kube);
    kube.setUnschedulable = async (node: string, unschedulable: boolean) => {
      if (node === 'kind-worker' && unschedulable) throw new TypeError('fetch failed');
      return cordon(node, unschedulable);
    };
    await expect(rollingUpgrade.inject(ctx, ctx.fault.params as never)).rejects.toThrow('the drain of kind-worker failed, so the upgrade stops there: fetch failed');
  });

  it('a failed kubeadm step fails the fault with what kubeadm said', async () => {
    const { ctx, upgrading } = setup();
    upgrading.failing = /upgrade apply/;
    await expect(rollingUpgrade.inject(ctx, ctx.fault.params as never)).rejects.toThrow('kubeadm upgrade apply on kind-control-plane failed (exit 1): [upgrade/apply] FATAL: the control plane is not healthy');
  });
});

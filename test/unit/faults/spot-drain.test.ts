import { describe, expect, it } from 'vitest';
import { spotDrain } from '../../../src/faults/spot-drain/index.ts';
import { FakeKube, FakeNodes } from '../../support/fakes.ts';
import { faultContext, pod } from './support.ts';

describe('spot-drain', () => {
  function world() {
    const kube = new FakeKube(['cp', 'w1', 'w2', 'spare']);
    kube.nodes.find((n) => n.name === 'spare')!.labels['shakedown.dev/role'] = 'spare';
    kube.nodes.find((n) => n.name === 'spare')!.taints = [{ key: 'shakedown.dev/spare', value: 'true', effect: 'NoSchedule' }];
    kube.pods = [pod('web-1', 'w1'), pod('web-2', 'w1'), pod('api-1', 'w1'), pod('web-3', 'w2'), { ...pod('kube-router-x', 'w1'), ownerKind: 'DaemonSet' }];
    return { kube, nodes: new FakeNodes(['cp', 'w1', 'w2', 'spare']) };
  }

  it('notices, drains through evictions (retrying refusals), terminates at the deadline, untaints the spare', async () => {
    const { kube, nodes } = world();
    kube.blocked.set('api-1', 1);
    const { ctx, details, params } = faultContext(spotDrain, { notice: '1s' }, { kube, nodes });
    const started = Date.now();
    await spotDrain.inject(ctx, params);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(details.node).toBe('w1');
    expect(kube.node('w1')).toMatchObject({ unschedulable: true, taints: [{ key: 'shakedown.dev/spot-interruption', effect: 'NoSchedule' }] });
    expect(kube.evictions.sort()).toEqual(['stack/api-1', 'stack/web-1', 'stack/web-2']);
    const drain = details.drain as Array<{ pod: string; outcome: string; attempts: number; blockedBy?: string }>;
    expect(drain.find((d) => d.pod === 'stack/api-1')).toMatchObject({ outcome: 'evicted', attempts: 2, blockedBy: expect.stringContaining('disruption budget api') });
    expect(kube.pods.map((p) => p.name)).toContain('kube-router-x');
    expect((await nodes.list()).find((m) => m.name === 'w1')!.running).toBe(false);
    expect(kube.node('spare').taints).toEqual([]);
  });

  it('terminates the node at the deadline even when a budget never lets the drain finish, and names the blocker', async () => {
    const { kube, nodes } = world();
    kube.blocked.set('web-1', 1000);
    const { ctx, details, params } = faultContext(spotDrain, { notice: '1s', replacement: false }, { kube, nodes });
    await spotDrain.inject(ctx, params);
    const drain = details.drain as Array<{ pod: string; outcome: string; blockedBy?: string }>;
    expect(drain.find((d) => d.pod === 'stack/web-1')).toMatchObject({ outcome: 'lost-with-node', blockedBy: expect.stringContaining('disruption budget web') });
    expect((await nodes.list()).find((m) => m.name === 'w1')!.running).toBe(false);
    expect(kube.node('spare').taints).toHaveLength(1);
  });

  it('reverts everything: node started, taint removed, uncordoned, spare tainted again', async () => {
    const { kube, nodes } = world();
    const { ctx, cleanup, params } = faultContext(spotDrain, { notice: '1s' }, { kube, nodes });
    await spotDrain.inject(ctx, params);
    expect(await cleanup.unwind()).toEqual([]);
    expect((await nodes.list()).every((m) => m.running)).toBe(true);
    expect(kube.node('w1')).toMatchObject({ unschedulable: false, taints: [] });
    expect(kube.node('spare').taints.map((t) => t.key)).toEqual(['shakedown.dev/spare']);
  });

  it('names an unknown node clearly', async () => {
    const { kube, nodes } = world();
    const { ctx, params } = faultContext(spotDrain, { node: 'w9' }, { kube, nodes });
    await expect(spotDrain.inject(ctx, params)).rejects.toThrow('w9 is not a node of this cluster');
  });

  it('plans the notice, the drain and the termination in order', () => {
    const lines = spotDrain.describe(spotDrain.params.parse({ notice: '20s' }), { id: 'r', type: 'spot-drain', at: 10_000, params: {}, assert: [] });
    expect(lines[0]).toMatch(/^aws preset: 20s notice, drain through evictions \(Spot Instance interruption notices/);
    expect(lines[1]).toMatch(/^T\+10s notice/);
    expect(lines.at(-2)).toMatch(/^T\+30s stop the node's machine/);
  });

  it('gcp: a 30 s notice, pods deleted directly by the shutdown (no evictions), the plan says PDBs do not apply', async () => {
    const { kube, nodes } = world();
    kube.blocked.set('web-1', 1000);
    const params = spotDrain.params.parse({ provider: 'gcp', notice: '1s' });
    const plan = spotDrain.describe(spotDrain.params.parse({ provider: 'gcp' }), { id: 'r', type: 'spot-drain', at: 0, params: {}, assert: [] }).join('\n');
    expect(plan).toContain('gcp preset: 30s notice, graceful node shutdown');
    expect(plan).toContain('GCP graceful shutdown does not use the Eviction API: PodDisruptionBudgets do not apply');
    const { ctx, details, bus } = faultContext(spotDrain, { provider: 'gcp', notice: '1s' }, { kube, nodes });
    const disruptions: string[] = [];
    bus.on((e) => e.kind === 'fault' && e.disruption && disruptions.push(e.disruption));
    await spotDrain.inject(ctx, params);
    expect(kube.evictions).toEqual([]);
    expect((details.drain as Array<{ outcome: string }>).map((d) => d.outcome)).toEqual(['deleted-by-shutdown', 'deleted-by-shutdown', 'deleted-by-shutdown']);
    expect(kube.pods.map((p) => p.name)).toEqual(['web-3', 'kube-router-x']);
    expect(disruptions).toEqual(['involuntary', 'involuntary']);
  });

  it('per-field overrides win over the preset', async () => {
    const { resolvePreset } = await import('../../../src/faults/spot-drain/presets.ts');
    expect(resolvePreset('aws', {})).toMatchObject({ notice: 120_000, mechanism: 'evict' });
    expect(resolvePreset('gcp', {})).toMatchObject({ notice: 30_000, mechanism: 'shutdown', ordinaryShare: 15_000 });
    expect(resolvePreset('azure', { mechanism: 'evict' })).toMatchObject({ notice: 30_000, mechanism: 'evict', note: expect.stringContaining('PodDisruptionBudgets apply') });
    expect(resolvePreset('gcp', { notice: 10_000 })).toMatchObject({ notice: 10_000, ordinaryShare: 10_000 });
  });
});

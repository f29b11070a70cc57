// spot-drain with terminate: none, the way it runs on an existing cluster:
// notice, drain, the deadline passes, and the node stays.
import { describe, expect, it } from 'vitest';
import { spotDrain } from '../../../src/faults/spot-drain/index.ts';
import { FakeKube, FakeNodes } from '../../support/fakes.ts';
import { faultContext, pod } from './support.ts';

describe('spot-drain, terminate: none', () => {
  function world() {
    const kube = new FakeKube(['cp', 'w1', 'w2']);
    kube.pods = [pod('web-1', 'w1'), pod('web-2', 'w1'), pod('web-3', 'w2')];
    return { kube, nodes: new FakeNodes(['cp', 'w1', 'w2']) };
  }

  it('drains and taints the node, waits out the notice, and never stops its machine', async () => {
    const { kube, nodes } = world();
    kube.blocked.set('web-2', 1000);
    nodes.stop = async (node: string) => {
      throw new Error(`stop ${node} must not be called`);
    };
    const { ctx, details, params } = faultContext(spotDrain, { notice: '1s', terminate: 'none', replacement: false }, { kube, nodes });
    const started = Date.now();
    await spotDrain.inject(ctx, params);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(kube.node('w1')).toMatchObject({ unschedulable: true, taints: [{ key: 'shakedown.dev/spot-interruption', effect: 'NoSchedule' }] });
    expect(kube.evictions).toEqual(['stack/web-1']);
    // A pod the budget kept is still on the node, not lost with it.
    expect((details.drain as Array<{ pod: string; outcome: string }>).find((d) => d.pod === 'stack/web-2')?.outcome).toBe('blocked-at-termination');
    expect(details.terminatedAt).toBeUndefined();
    expect((await nodes.list()).every((m) => m.running)).toBe(true);
  });

  it('its revert untaints and uncordons, and never starts a machine: on an existing cluster there is none to reach', async () => {
    const { kube, nodes } = world();
    const { ctx, params, cleanup } = faultContext(spotDrain, { notice: '1s', terminate: 'none', replacement: false }, { kube, nodes });
    await spotDrain.inject(ctx, params);
    nodes.list = async () => {
      throw new Error('the machines must not be asked for');
    };
    expect(await cleanup.unwind('f1')).toEqual([]);
    expect(kube.node('w1')).toMatchObject({ unschedulable: false, taints: [] });
  });

  it('is planned without a termination', () => {
    const lines = spotDrain.describe(spotDrain.params.parse({ notice: '20s', terminate: 'none' }), { id: 'r', type: 'spot-drain', at: 10_000, params: {}, assert: [] });
    expect(lines.join('\n')).not.toMatch(/stop the node's machine/);
    expect(lines).toContain('T+30s deadline; the node is not terminated (terminate: none): it stays, cordoned and tainted, pods still on it keep running');
    expect(lines.at(-1)).toBe('  revert at the end of the run: remove the taint, uncordon');
  });
});

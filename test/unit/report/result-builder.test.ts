import { describe, expect, it } from 'vitest';
import type { ClusterHandle, ClusterInfo } from '../../../src/core/cluster.ts';
import type { FaultRecord } from '../../../src/core/result.ts';
import type { RunEvent } from '../../../src/core/events.ts';
import type { RevertAction } from '../../../src/core/reverts.ts';
import { describeCluster, settleAtTeardown } from '../../../src/runner/result-builder.ts';
import { fakeHandle } from '../../support/fakes.ts';

const action = (scope: string, description: string): RevertAction => ({ id: description, handler: 'x/y', args: {}, scope, description });
const cleanup = (t: number, a: string, ok = true, message?: string): RunEvent => ({ t, kind: 'cleanup', action: a, ok, ...(message && { message }) });

describe('settleAtTeardown', () => {
  // The stack before teardown, in registration order; the unwind reverts it last-first.
  const stack = [action('run', 'delete cluster c'), action('drain', 'restore node w1 (start, untaint, uncordon)'), action('drain', 'taint spare s1 again'), action('stop', 'start node w2')];

  it('ends a fault still applied when its last revert ran, as reverted', () => {
    const drain: FaultRecord = { id: 'drain', type: 'spot-drain', at: 0, startedAt: 1000, endedAt: 60_000, state: 'active' };
    const events = [
      cleanup(70_000, 'start node w2'),
      cleanup(70_500, 'taint spare s1 again'),
      { t: 70_600, kind: 'log', level: 'info', message: 'unrelated' } as RunEvent,
      cleanup(71_000, 'restore node w1 (start, untaint, uncordon)'),
      cleanup(90_000, 'delete cluster c'),
    ];
    const settled = settleAtTeardown([drain], stack, events);
    expect(settled).toEqual([drain]);
    expect(drain).toMatchObject({ state: 'reverted', endedAt: 71_000, message: 'applied to the end of the load, reverted at teardown' });
  });

  it('marks a fault whose revert failed as failed, naming the revert and its error', () => {
    const stop: FaultRecord = { id: 'stop', type: 'node-stop', at: 0, duration: 30_000, startedAt: 1000, endedAt: 20_000, state: 'active' };
    settleAtTeardown([stop], stack, [cleanup(70_000, 'start node w2', false, 'docker: no such container')]);
    expect(stop).toMatchObject({ state: 'failed', endedAt: 70_000, message: 'revert at teardown failed: start node w2: docker: no such container' });
  });

  it('leaves faults that already ended alone, and ends one with nothing to revert where its window ended', () => {
    const done: FaultRecord = { id: 'drain', type: 'spot-drain', at: 0, startedAt: 1000, endedAt: 60_000, state: 'reverted' };
    const kill: FaultRecord = { id: 'kill', type: 'pod-kill', at: 0, startedAt: 1000, endedAt: 60_000, state: 'active' };
    const scheduled: FaultRecord = { id: 'later', type: 'pod-kill', at: 0, state: 'scheduled' };
    expect(settleAtTeardown([done, kill, scheduled], stack, [cleanup(70_000, 'start node w2')])).toEqual([kill]);
    expect(done.state).toBe('reverted');
    expect(scheduled.state).toBe('scheduled');
    expect(kill).toMatchObject({ state: 'reverted', endedAt: 60_000, message: 'applied to the end of the load, nothing left to revert' });
  });

  it('pairs reverts with their events in order even when two faults describe a revert alike', () => {
    const twice = [action('a', 'start node w1'), action('b', 'start node w1')];
    const a: FaultRecord = { id: 'a', type: 'node-stop', at: 0, duration: 1, startedAt: 1, state: 'injecting' };
    const b: FaultRecord = { id: 'b', type: 'node-stop', at: 0, duration: 1, startedAt: 1, state: 'active' };
    settleAtTeardown([a, b], twice, [cleanup(10, 'start node w1', false, 'boom'), cleanup(20, 'start node w1')]);
    expect(b).toMatchObject({ state: 'failed', endedAt: 10 });
    expect(a).toMatchObject({ state: 'reverted', endedAt: 20, message: 'reverted at teardown' });
  });
});

describe('describeCluster', () => {
  const withInfo = (info: () => Promise<ClusterInfo>): ClusterHandle => ({ ...fakeHandle(undefined, 'c1'), info });

  it('takes the version, CNI and node count from the handle', async () => {
    const handle = withInfo(async () => ({
      name: 'c1',
      provider: 'kind',
      kubernetesVersion: 'v1.34.10',
      cni: 'kube-router',
      nodes: [
        { name: 'cp', role: 'control-plane', ready: true },
        { name: 'w1', role: 'worker', ready: true },
        { name: 's1', role: 'spare', ready: true },
      ],
    }));
    expect(await describeCluster(handle)).toEqual({ provider: 'fake', name: 'c1', cni: 'kube-router', kubernetesVersion: 'v1.34.10', nodes: 3 });
  });

  it('keeps provider and name when the handle cannot tell more, in time or at all', async () => {
    expect(
      await describeCluster(
        withInfo(async () => {
          throw new Error('no API');
        }),
      ),
    ).toEqual({ provider: 'fake', name: 'c1' });
    const started = Date.now();
    expect(
      await describeCluster(
        withInfo(() => new Promise(() => {})),
        50,
      ),
    ).toEqual({ provider: 'fake', name: 'c1' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { DisruptionTracker } from '../../../src/core/disruptions.ts';
import { EventBus } from '../../../src/core/events.ts';

function tracker(start = 1_000_000) {
  let now = start;
  const bus = new EventBus(() => now);
  const t = new DisruptionTracker({ bus, now: () => now });
  return { t, bus, advance: (ms: number) => (now += ms), now: () => now };
}

describe('DisruptionTracker', () => {
  it('a rebooted node is back once its kubelet writes Ready after it went down, not at the end of the run', () => {
    const { t, advance, now } = tracker();
    t.observeNode({ name: 'w1', ready: true, heartbeatAt: now() - 5000 });
    t.faultStarted('reboot', 'node-restart');
    t.reporterFor('reboot', 'node-restart')({ kind: 'nodes-stopped', nodes: ['w1'], message: 'w1 rebooting' });
    expect(t.isDown('w1')).toBe(true);
    // The API still holds the old kubelet's Ready: stale, so still down.
    advance(2000);
    t.observeNode({ name: 'w1', ready: true, heartbeatAt: now() - 7000 });
    expect(t.isDown('w1')).toBe(true);
    // The new kubelet first says NotReady, then Ready.
    t.observeNode({ name: 'w1', ready: false, heartbeatAt: now() });
    expect(t.isDown('w1')).toBe(true);
    advance(3000);
    t.observeNode({ name: 'w1', ready: true, heartbeatAt: now() });
    expect(t.isDown('w1')).toBe(false);
    expect(t.downNodes()).toEqual(new Set());
    // The fault has not ended (no duration): the node is back anyway.
    expect(t.activeFaults()).toEqual(['reboot']);
    // When it went down is kept, to tell stale pod statuses from confirmed ones.
    expect(t.lastStopped('w1')).toBe(1_000_000);
    expect(t.lastStopped('w2')).toBeUndefined();
    // And when it came back: its network agent saw nothing of the API before.
    expect(t.backSince('w1')).toBe(1_005_000);
  });

  it('a node cut off stays down until the fault that cut it ends, whatever its status says', () => {
    const { t, advance, now } = tracker();
    t.faultStarted('cut', 'network-partition');
    t.reporterFor('cut', 'network-partition')({ kind: 'nodes-cut-off', nodes: ['w2'], message: 'w2 cut off' });
    advance(1000);
    t.observeNode({ name: 'w2', ready: true, heartbeatAt: now() });
    expect(t.isDown('w2')).toBe(true);
    expect(t.backSince('w2')).toBeUndefined();
    advance(1000);
    t.faultEnded('cut');
    expect(t.isDown('w2')).toBe(false);
    expect(t.backSince('w2')).toBe(now());
  });

  it('NotReady and vanished nodes are down once a node watch runs', () => {
    const { t } = tracker();
    expect(t.isDown('w1')).toBe(false);
    t.observeNode({ name: 'w1', ready: false });
    t.observeNode({ name: 'w2', ready: true });
    expect(t.isDown('w1')).toBe(true);
    expect(t.isDown('gone')).toBe(true);
    expect(t.downNodes()).toEqual(new Set(['w1']));
  });

  it('evictions are voluntary until the node is terminated; the first hit is the first eviction', () => {
    const { t, bus, advance } = tracker();
    const events: string[] = [];
    bus.on((e) => e.kind === 'fault' && events.push(`${e.disruption}:${e.message}`));
    const report = t.reporterFor('spot', 'spot-drain');
    report({ kind: 'evictions-begin', nodes: ['w1'], message: 'notice' });
    expect(t.voluntary()).toEqual(new Map([['spot', ['w1']]]));
    expect(t.firstHit('spot')).toBeUndefined();
    advance(1500);
    report({ kind: 'pods-evicted', pods: ['ns/a'] });
    const first = t.firstHit('spot');
    advance(100);
    report({ kind: 'pods-evicted', pods: ['ns/b'] });
    expect(t.firstHit('spot')).toBe(first);
    report({ kind: 'nodes-stopped', nodes: ['w1'], message: 'w1 terminated' });
    expect(t.voluntary().size).toBe(0);
    expect(t.impacts('spot').map((i) => i.disruption.kind)).toEqual(['evictions-begin', 'pods-evicted', 'pods-evicted', 'nodes-stopped']);
    // One event per kind of step, for the report and the live view: not one per eviction.
    expect(events).toEqual(['voluntary:notice', 'voluntary:first eviction: ns/a', 'involuntary:w1 terminated']);
  });

  it('tells listeners of every change', () => {
    const { t } = tracker();
    let calls = 0;
    const off = t.onChange(() => calls++);
    t.faultStarted('f', 'x');
    t.observeNode({ name: 'w1', ready: true });
    off();
    t.faultEnded('f');
    expect(calls).toBe(2);
  });
});

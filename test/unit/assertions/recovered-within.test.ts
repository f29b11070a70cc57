import { describe, expect, it } from 'vitest';
import { EFFECT_WITHIN_MS, HealthLog } from '../../../src/assertions/recovered-within/episodes.ts';
import { hitsOf, judgeHits, shortfalls } from '../../../src/assertions/recovered-within/index.ts';
import type { Impact } from '../../../src/core/disruptions.ts';

describe('time to recover, from the disruption', () => {
  it('runs from the hit to the moment the stack is whole again, not from the end of the window', () => {
    const log = new HealthLog();
    log.record(0, true);
    log.record(1_200, false); // the eviction shows in the watch
    log.record(7_000, true); // replacement Ready
    expect(log.recoveryAfter(1_000, 200_000)).toEqual({ state: 'recovered', at: 7_000, afterMs: 6_000 });
  });

  it('a hit that costs no ready replica is undisturbed, once the effect window has passed', () => {
    const log = new HealthLog();
    log.record(0, true);
    expect(log.recoveryAfter(1_000, 2_000)).toEqual({ state: 'pending' });
    expect(log.recoveryAfter(1_000, 1_000 + EFFECT_WITHIN_MS)).toEqual({ state: 'undisturbed' });
  });

  it('a stack already short at the hit counts from the hit', () => {
    const log = new HealthLog();
    log.record(0, false);
    expect(log.recoveryAfter(500, 1_000)).toEqual({ state: 'recovering', since: 500 });
    log.record(4_500, true);
    expect(log.recoveryAfter(500, 5_000)).toEqual({ state: 'recovered', at: 4_500, afterMs: 4_000 });
  });

  it('the hits of a drain: its first eviction and the termination, not every eviction', () => {
    const impact = (kind: Impact['disruption']['kind'], t: number): Impact => ({ faultId: 'f', faultType: 'spot-drain', t, disruption: { kind, pods: [], nodes: [], message: '' } as never });
    const hits = hitsOf([impact('evictions-begin', 0), impact('pods-evicted', 100), impact('pods-evicted', 200), impact('nodes-stopped', 20_000)]);
    expect(hits.map((h) => [h.disruption.kind, h.t])).toEqual([
      ['pods-evicted', 100],
      ['nodes-stopped', 20_000],
    ]);
  });

  it('packet loss is a hit: readiness probes lose packets too, so the stack may fall short and is timed from the loss', () => {
    const impact: Impact = { faultId: 'f', faultType: 'packet-loss', t: 1_000, disruption: { kind: 'traffic-degraded', nodes: ['w1'], pods: ['s/backend-1'], message: '' } };
    expect(hitsOf([impact]).map((h) => h.disruption.kind)).toEqual(['traffic-degraded']);
    const log = new HealthLog();
    log.record(0, true);
    log.record(5_500, false);
    log.record(23_000, true);
    const outcome = judgeHits([{ kind: 'traffic-degraded', t: 1_000, recovery: log.recoveryAfter(1_000, 30_000) }], 60_000, 30_000, '');
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toBe('recovered 22s after packets were dropped (deadline 1m)');
  });

  it('passes with the time to recover per hit, fails naming the hit that ran past the deadline', () => {
    const ok = judgeHits(
      [
        { kind: 'pods-evicted', t: 0, recovery: { state: 'recovered', at: 6_100, afterMs: 6_100 } },
        { kind: 'nodes-stopped', t: 20_000, recovery: { state: 'undisturbed' } },
      ],
      90_000,
      100_000,
      '',
    );
    expect(ok.status).toBe('passed');
    expect(ok.message).toBe('recovered 6.1s after the first eviction; the node stopped: no ready replica lost (deadline 1m30s)');
    expect(ok.details?.timeToRecoverMs).toBe(6_100);
    const late = judgeHits([{ kind: 'nodes-stopped', t: 0, recovery: { state: 'recovering', since: 0 } }], 30_000, 31_000, 'backend: 2 of 3 ready (backend-x still bound to down node w1)');
    expect(late.status).toBe('failed');
    expect(late.message).toBe('not recovered 31s after the node stopped (deadline 30s): backend: 2 of 3 ready (backend-x still bound to down node w1)');
  });

  it('an undisturbed control-plane outage says the API saw no loss, not that there was none: the kubelets could not report in it', () => {
    const outcome = judgeHits([{ kind: 'control-plane-unreachable', t: 0, recovery: { state: 'undisturbed' } }], 60_000, 40_000, '');
    expect(outcome.message).toBe('the control plane became unreachable: no ready replica lost as far as the API shows (the kubelets could not report while it was out of reach) (deadline 1m)');
  });
});

describe('a node that came back', () => {
  const deployment = { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: {} } };
  // As the watch hands them over: times are JSON strings.
  const pod = (name: string, node: string, readySince: string) =>
    ({
      metadata: { name, labels: { app: 'web' } },
      spec: { nodeName: node, containers: [] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] },
    }) as never;
  const stoppedAt = Date.parse('2026-11-29T21:00:10Z');
  it('a pod whose Ready was written before its node stopped is not ready yet: the new kubelet has not confirmed it', () => {
    const out = shortfalls(
      [deployment],
      [pod('a', 'w1', '2026-11-29T20:50:00Z'), pod('b', 'w2', '2026-11-29T20:50:00Z')],
      () => false,
      [],
      (n) => (n === 'w1' ? stoppedAt : undefined),
    );
    expect(out).toEqual([{ deployment: 'web', ready: 1, desired: 2, reasons: ['a: Ready not yet confirmed since w1 restarted'] }]);
  });
  it('once the new kubelet rewrites Ready, the pod counts again', () => {
    const out = shortfalls(
      [deployment],
      [pod('a', 'w1', '2026-11-29T21:00:31Z'), pod('b', 'w2', '2026-11-29T20:50:00Z')],
      () => false,
      [],
      (n) => (n === 'w1' ? stoppedAt : undefined),
    );
    expect(out).toEqual([]);
  });
});

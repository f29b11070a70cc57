import { describe, expect, it } from 'vitest';
import { judge } from '../../../src/assertions/availability/index.ts';
import { firstReach, hpaProblem } from '../../../src/assertions/hpa-scaled/index.ts';
import { floorFor, undrainable } from '../../../src/assertions/pdb-held/index.ts';
import { shortfalls } from '../../../src/assertions/recovered-within/index.ts';

const params = { maxErrorRate: 0.01, p95: 1000, minRequests: 1 };

describe('availability', () => {
  it('a window without requests fails: silence proves nothing', () => {
    expect(judge({ requests: 0, failures: 0, errorRate: NaN, p95Ms: NaN, p99Ms: NaN }, params)).toMatchObject({ status: 'failed', message: expect.stringContaining('no load, no proof') });
  });
  it('names the error rate and the latency that broke the limits', () => {
    const out = judge({ requests: 200, failures: 30, errorRate: 0.15, p95Ms: 2500, p99Ms: 3000 }, params);
    expect(out.status).toBe('failed');
    expect(out.message).toBe('error rate 15.0% (30 of 200 requests failed) is above 1.0%; p95 latency 2500 ms is above 1s');
  });
  it('passes within the limits', () => {
    expect(judge({ requests: 200, failures: 1, errorRate: 0.005, p95Ms: 20, p99Ms: 40 }, params).status).toBe('passed');
  });
});

describe('pdb-held floors, as the disruption controller computes them', () => {
  const pdb = (spec: object) => ({ spec }) as never;
  it.each([
    [{ minAvailable: '50%' }, 3, 2],
    [{ minAvailable: '50%' }, 4, 2],
    [{ minAvailable: 1 }, 3, 1],
    [{ maxUnavailable: 1 }, 3, 2],
    [{ maxUnavailable: '34%' }, 3, 1],
  ])('%j with %i pods expected: floor %i', (spec, expected, floor) => {
    expect(floorFor(pdb(spec), expected, '50%')).toBe(floor);
  });
  it('uses the fallback when no budget covers the workload', () => {
    expect(floorFor(undefined, 3, '50%')).toBe(2);
  });

  it('names budgets that let no pod go, which no drain can get past', () => {
    const entry = (deployment: string, spec: object | undefined, expected: number) => ({
      deployment,
      ...(spec && { budget: `${deployment}-pdb` }),
      floor: floorFor(spec ? pdb(spec) : undefined, expected, '50%'),
      expected,
    });
    expect(undrainable([entry('web', { minAvailable: '50%' }, 3), entry('api', { maxUnavailable: 1 }, 2)])).toBeUndefined();
    expect(undrainable([entry('web', { minAvailable: '50%' }, 1)])).toBe('PodDisruptionBudget web-pdb (web: 1 of 1 must stay) allows no voluntary disruption: no drain of a node running its pods can finish');
    expect(undrainable([entry('web', { maxUnavailable: 0 }, 3), entry('api', { minAvailable: '100%' }, 2), entry('db', undefined, 1)])).toBe(
      'PodDisruptionBudgets web-pdb (web: 3 of 3 must stay), api-pdb (api: 2 of 2 must stay) allow no voluntary disruption: no drain of a node running their pods can finish',
    );
    // Scaled to zero: nothing to drain.
    expect(undrainable([entry('web', { minAvailable: 1 }, 0)])).toBeUndefined();
  });
});

describe('recovered-within', () => {
  const deployment = { metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: {} } };
  const pod = (name: string, node: string, ready: boolean) => ({
    metadata: { name, labels: { app: 'web' } },
    spec: { nodeName: node, containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  it('counts a pod still bound to a down node as not ready, though the API still says Ready', () => {
    const out = shortfalls([deployment], [pod('a', 'w1', true), pod('b', 'w2', true)], (n) => n === 'w2', []);
    expect(out).toEqual([{ deployment: 'web', ready: 1, desired: 2, reasons: ['b still bound to down node w2'] }]);
  });
  it('names pods that share a reason together, so a long scheduler message is said once', () => {
    const pending = (name: string) => ({
      metadata: { name, labels: { app: 'web' } },
      spec: { containers: [] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/4 nodes are available: 4 Insufficient cpu.' }] },
    });
    const out = shortfalls([deployment], [pending('a'), pending('b'), pod('c', 'w2', true)], (n) => n === 'w2', []);
    expect(out[0]?.reasons).toEqual(['a, b: unschedulable: 0/4 nodes are available: 4 Insufficient cpu.', 'c still bound to down node w2']);
  });
  it('is satisfied when every replica is ready on a live node', () => {
    expect(shortfalls([deployment], [pod('a', 'w1', true), pod('b', 'w1', true)], () => false, [])).toEqual([]);
  });
});

describe('hpa-scaled', () => {
  it("reports the HPA's own reason when it cannot scale", () => {
    const hpa = { status: { conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message: 'missing request for cpu in container agent' }] } };
    expect(hpaProblem(hpa as never)).toBe('FailedGetResourceMetric: missing request for cpu in container agent');
  });
  it('finds when the replica count first reached the target after load started', () => {
    const points = [
      { t: 1, current: 5, desired: 5 },
      { t: 10, current: 3, desired: 3 },
      { t: 20, current: 3, desired: 5 },
      { t: 30, current: 6, desired: 6 },
    ];
    // The decision counts: the status's current count lags the scale by a sync period.
    expect(firstReach(points, 5, 5)).toBe(20);
    expect(firstReach(points, 6, 5)).toBe(30);
    expect(firstReach(points, 9, 5)).toBeUndefined();
  });
});

// hpa-scaled's explanations: an HPA that did not scale says why, naming the
// object and field, where its status or spec establishes it, and nothing
// more where it does not. HPAs are the sample stack's, with the status the
// controller would write; the monitor runs over a watch faked in memory.
import type { V2HorizontalPodAutoscaler, V2HorizontalPodAutoscalerCondition } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { explainHpa, type HpaEvidence } from '../../../src/assertions/hpa-scaled/explain.ts';
import { hpaScaled } from '../../../src/assertions/hpa-scaled/index.ts';
import type { AssertionContext } from '../../../src/assertions/types.ts';
import { EventBus } from '../../../src/core/events.ts';
import { sampleStack } from '../../../src/stack/sample.ts';

const NS = 'shakedown-stack';

const cluster = vi.hoisted(() => ({ hpas: [] as unknown[] }));

vi.mock('../../../src/kube/watch.ts', () => ({
  watchHpas: async (_config: unknown, _namespace: string, onChange: (h: unknown, verb: 'add') => void) => {
    for (const h of cluster.hpas) onChange(h, 'add');
    return { list: () => [...cluster.hpas], stop: async () => {} };
  },
}));

function hpa(conditions: V2HorizontalPodAutoscalerCondition[], maxReplicas?: number): V2HorizontalPodAutoscaler {
  const sample = structuredClone(sampleStack(NS, 'no-requests').find((o) => o.kind === 'HorizontalPodAutoscaler')!) as V2HorizontalPodAutoscaler;
  if (maxReplicas !== undefined) sample.spec!.maxReplicas = maxReplicas;
  return { ...sample, status: { desiredReplicas: 3, currentReplicas: 3, conditions } };
}

const inactive = (message: string): V2HorizontalPodAutoscalerCondition => ({ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric', message });
const ACTIVE: V2HorizontalPodAutoscalerCondition = { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization' };
const evidence = (over: Partial<HpaEvidence>): HpaEvidence => ({ name: 'backend', namespace: NS, hpa: undefined, others: [], ...over });

describe('a known cause names the object and field, and the one change', () => {
  it.each([
    {
      name: 'a container that requests no CPU: utilization has nothing to be a share of (the no-requests variant)',
      evidence: evidence({ hpa: hpa([inactive('the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container agent of Pod backend-5d8f7c9b4-x2k9p')]) }),
      cause: "HPA backend scales on CPU utilization, a share of each container's CPU request, and container agent of Deployment backend requests no CPU (seen on Pod backend-5d8f7c9b4-x2k9p)",
      fix: 'set resources.requests.cpu on container agent of Deployment backend (e.g. 50m)',
    },
    {
      name: 'no metrics API to read',
      evidence: evidence({
        hpa: hpa([
          inactive(
            'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
          ),
        ]),
      }),
      cause: 'HPA backend gets no metrics: the resource metrics API (metrics.k8s.io, served by metrics-server) answers nothing (the server could not find the requested resource (get pods.metrics.k8s.io))',
      fix: 'install metrics-server, or repair it until APIService v1beta1.metrics.k8s.io reports Available',
    },
    {
      name: 'a metrics API that returns nothing',
      evidence: evidence({ hpa: hpa([inactive('the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API')]) }),
      cause: 'HPA backend gets no metrics: the resource metrics API (metrics.k8s.io, served by metrics-server) answers nothing (no metrics returned from resource metrics API)',
      fix: 'install metrics-server, or repair it until APIService v1beta1.metrics.k8s.io reports Available',
    },
    {
      name: 'an HPA of another name',
      evidence: evidence({ name: 'api', others: ['backend'] }),
      cause: `namespace ${NS} holds no HorizontalPodAutoscaler named api; it holds backend`,
      fix: 'set hpa: backend on this assertion',
    },
    {
      name: 'HPAs of other names',
      evidence: evidence({ name: 'api', others: ['backend', 'frontend'] }),
      cause: `namespace ${NS} holds no HorizontalPodAutoscaler named api; it holds backend, frontend`,
      fix: 'set hpa on this assertion to one of backend, frontend',
    },
    {
      name: 'a maxReplicas below the mark, while the load asked for more',
      evidence: evidence({ hpa: hpa([ACTIVE, { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' }], 3), atLeast: 4 }),
      cause: 'HPA backend may scale Deployment backend to spec.maxReplicas 3 at most, fewer than the 4 this assertion needs, and the load asked for more (ScalingLimited: TooManyReplicas)',
      fix: 'raise spec.maxReplicas of HPA backend to at least 4',
    },
  ])('$name', ({ evidence, cause, fix }) => {
    expect(explainHpa(evidence)).toEqual({ cause, fix });
  });

  it('no HPA in the namespace at all (the single-replica variant): the cause, and no name to suggest', () => {
    expect(explainHpa(evidence({}))).toEqual({ cause: `namespace ${NS} holds no HorizontalPodAutoscaler at all, so none named backend can scale anything` });
  });
});

describe('an unknown cause says nothing more than the message', () => {
  it.each([
    { name: 'an HPA that reads its metric and may reach the mark (the load was too light, or the sync slow)', evidence: evidence({ hpa: hpa([ACTIVE]), atLeast: 4 }) },
    { name: 'pods without metrics yet: unready or just started, not the API', evidence: evidence({ hpa: hpa([inactive('the HPA was unable to compute the replica count: did not receive metrics for targeted pods (pods might be unready)')]) }) },
    { name: 'no status written yet', evidence: evidence({ hpa: hpa([]) }) },
    { name: 'a maxReplicas below the mark before any load: the steady state judges reading the metric, not scaling', evidence: evidence({ hpa: hpa([ACTIVE], 3) }) },
  ])('$name', ({ evidence }) => {
    expect(explainHpa(evidence)).toBeUndefined();
  });
});

describe('the monitor', () => {
  async function start(params: object) {
    const ctx = { namespace: NS, signal: new AbortController().signal, bus: new EventBus(), kubeConfig: {}, sample: () => {} } as unknown as AssertionContext;
    return hpaScaled.start(ctx, hpaScaled.params.parse(params));
  }

  it('a steady state without the HPA named says which HPAs there are', async () => {
    cluster.hpas = [hpa([ACTIVE])];
    const monitor = await start({ hpa: 'api', metricsWithin: '1s' });
    expect(await monitor.steadyState!(new AbortController().signal)).toMatchObject({
      status: 'failed',
      message: `no HorizontalPodAutoscaler named api in ${NS}`,
      explanation: { cause: `namespace ${NS} holds no HorizontalPodAutoscaler named api; it holds backend`, fix: 'set hpa: backend on this assertion' },
    });
    await monitor.stop();
  });

  it('a scale-out short of the mark says the maxReplicas that caps it', async () => {
    cluster.hpas = [hpa([ACTIVE], 3)];
    const monitor = await start({ atLeast: 4 });
    const out = await monitor.recovery!(new AbortController().signal, Date.now());
    expect(out).toMatchObject({ status: 'failed', explanation: { fix: 'raise spec.maxReplicas of HPA backend to at least 4' } });
    await monitor.stop();
  });
});

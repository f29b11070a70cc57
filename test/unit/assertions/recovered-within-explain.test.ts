// recovered-within's explanations: a deployment short of ready pods says
// why, naming the object and field, when its pods' status establishes it,
// and nothing more when it does not. Pods are plain objects as the watch
// hands them over; the monitor runs over watches faked in memory.
import type { CoreV1Event, V1Container, V1ContainerStatus, V1Deployment, V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { explainPods, explainShortfalls } from '../../../src/assertions/recovered-within/explain.ts';
import { recoveredWithin } from '../../../src/assertions/recovered-within/index.ts';
import type { AssertionContext } from '../../../src/assertions/types.ts';
import { DisruptionTracker } from '../../../src/core/disruptions.ts';
import { EventBus } from '../../../src/core/events.ts';
import { lastProbeFailures } from '../../../src/assertions/shared/events.ts';
import { parseSchedulingFailure } from '../../../src/assertions/recovered-within/scheduling.ts';
import { PIN_LABEL, sampleStack } from '../../../src/stack/sample.ts';

const NS = 'shakedown-stack';

const cluster = vi.hoisted(() => ({ deployments: [] as unknown[], pods: [] as unknown[], probeFailures: new Map<string, string>() }));

vi.mock('../../../src/kube/watch.ts', () => {
  const watched = (items: () => unknown[]) => async () => ({ list: () => [...items()], stop: async () => {} });
  return { watchDeployments: watched(() => cluster.deployments), watchPods: watched(() => cluster.pods) };
});
// The events are read for real only against a cluster; what they say is given here.
vi.mock(import('../../../src/assertions/recovered-within/probe-events.ts'), async (actual) => ({ ...(await actual()), readProbeFailures: async () => cluster.probeFailures }));

/** The sample backend's pod template, as a variant builds it. */
function backendSpec(variant: 'healthy' | 'never-ready'): V1PodSpec {
  const backend = sampleStack(NS, variant).find((o) => o.kind === 'Deployment' && o.metadata.name === 'backend')!;
  return structuredClone(backend.spec.template.spec);
}

const agent = (extra: Partial<V1Container> = {}): V1Container => ({ name: 'agent', image: 'ghcr.io/shakedown/agent:1.0', ...extra });

function pending(spec: V1PodSpec, message: string, name = 'backend-7c9d-x1'): V1Pod {
  return {
    metadata: { name, labels: { app: 'backend' } },
    spec,
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }] },
  };
}

function running(status: Partial<V1ContainerStatus>, container: V1Container = agent(), name = 'backend-7c9d-x2'): V1Pod {
  return {
    metadata: { name, labels: { app: 'backend' } },
    spec: { containers: [container], nodeName: 'w1' },
    status: {
      phase: status.state?.running ? 'Running' : 'Pending',
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: container.name, image: container.image!, imageID: '', ready: false, restartCount: 0, ...status }],
    },
  };
}

const PREEMPTION = ' preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.';

describe("the scheduler's refusal, read", () => {
  it('counts the nodes of each reason, taints with their key and value, whatever its version calls them', () => {
    expect(parseSchedulingFailure(`0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable.${PREEMPTION}`)).toEqual({
      total: 4,
      refusals: [
        { kind: 'taint', nodes: 1, taint: 'node.kubernetes.io/unreachable' },
        { kind: 'selector', nodes: 2 },
        { kind: 'cordoned', nodes: 1 },
      ],
    });
    expect(parseSchedulingFailure("0/3 nodes are available: 2 Insufficient cpu, 1 node(s) had taint {dedicated: db}, that the pod didn't tolerate.")?.refusals).toEqual([
      { kind: 'resource', nodes: 2, resource: 'cpu' },
      { kind: 'taint', nodes: 1, taint: 'dedicated=db' },
    ]);
    expect(parseSchedulingFailure('pod has unbound immediate PersistentVolumeClaims')).toBeUndefined();
  });
});

describe('a known cause names the object and field, and the one change', () => {
  const withSelector: V1PodSpec = { ...backendSpec('healthy'), nodeSelector: { 'shakedown.dev/pin': 'true' } };
  const big: V1PodSpec = { containers: [agent({ resources: { requests: { cpu: '2', memory: '32Mi' } } })] };
  const oomLimited = agent({ resources: { limits: { memory: '64Mi' } } });
  const probed = agent({ readinessProbe: { httpGet: { path: '/healthz', port: 'http' as never } } });

  it.each([
    {
      name: 'the never-ready variant: pinned by required node affinity to a node the drain took',
      pods: [
        pending(
          backendSpec('never-ready'),
          `0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 2 node(s) didn't match Pod's node affinity/selector.${PREEMPTION}`,
        ),
      ],
      cause: `Deployment backend's pods may only run on nodes matching its required node affinity (${PIN_LABEL} in (true)), and no such node is schedulable now: of 4 nodes, 1 with taint node-role.kubernetes.io/control-plane, 1 with taint node.kubernetes.io/unreachable, 2 outside its node selector/affinity`,
      fix: `relax spec.template.spec.affinity.nodeAffinity of Deployment backend (${PIN_LABEL} in (true)) or label another node ${PIN_LABEL}=true`,
    },
    {
      // The message seen on this project's v1.34 cluster: no taint named, and a sentence after the reasons.
      name: 'the never-ready variant as v1.34 says it, beside two pods left on the stopped node',
      pods: [
        running({ state: { running: { startedAt: new Date() } } }, agent(), 'backend-7c9d-x3'),
        running({ state: { running: { startedAt: new Date() } } }, agent(), 'backend-7c9d-x4'),
        pending(
          backendSpec('never-ready'),
          "0/4 nodes are available: 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
        ),
      ],
      cause: `Deployment backend's pods may only run on nodes matching its required node affinity (${PIN_LABEL} in (true)), and no such node is schedulable now: of 4 nodes, 1 with a taint it does not tolerate, 1 cordoned, 2 outside its node selector/affinity`,
      fix: `relax spec.template.spec.affinity.nodeAffinity of Deployment backend (${PIN_LABEL} in (true)) or label another node ${PIN_LABEL}=true`,
    },
    {
      name: 'a nodeSelector whose only node is cordoned',
      pods: [pending(withSelector, `0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable.${PREEMPTION}`)],
      cause:
        "Deployment backend's pods may only run on nodes matching its nodeSelector {shakedown.dev/pin: true}, and no such node is schedulable now: of 4 nodes, 1 with taint node-role.kubernetes.io/control-plane, 2 outside its node selector/affinity, 1 cordoned",
      fix: 'relax spec.template.spec.nodeSelector of Deployment backend (shakedown.dev/pin: true) or label another node shakedown.dev/pin=true',
    },
    {
      name: 'requests no node that may run it has room for',
      pods: [
        pending(
          big,
          '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
        ),
      ],
      cause: "Deployment backend's pods request cpu (agent: 2), more than any node that may run them has free: of 4 nodes, 1 with taint node-role.kubernetes.io/control-plane, 3 without enough cpu free",
      fix: 'lower resources.requests.cpu of Deployment backend (agent: 2), or add a node with that much cpu free',
    },
    {
      name: "a taint of the user's the pods do not tolerate",
      pods: [pending(big, '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint {dedicated: db}.')],
      cause: "no node may take Deployment backend's pods now: of 3 nodes, 1 with taint node-role.kubernetes.io/control-plane, 2 with taint dedicated=db",
      fix: 'add a toleration for dedicated=db to spec.template.spec.tolerations of Deployment backend, or remove that taint from the nodes',
    },
    {
      name: 'an image the nodes cannot pull',
      pods: [running({ state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/shakedown/agent:1.0"' } } })],
      cause: 'container agent of Deployment backend cannot get its image ghcr.io/shakedown/agent:1.0 (ImagePullBackOff)',
      fix: 'make image ghcr.io/shakedown/agent:1.0 available to the nodes (push it to its registry, or load it into them), or set the image of container agent in Deployment backend to one that exists',
    },
    {
      name: 'a container killed at its memory limit',
      pods: [running({ restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }, oomLimited)],
      cause: 'container agent of Deployment backend is killed for using more memory than its limit of 64Mi (OOMKilled, restarted 4 times)',
      fix: 'raise resources.limits.memory of container agent in Deployment backend above 64Mi',
    },
  ])('$name', ({ pods, cause, fix }) => {
    expect(explainPods('backend', pods)).toEqual({ cause, fix });
  });

  it.each([
    {
      name: 'only nodes down, cordoned or reserved for the control plane: the cause, and nothing in the stack to change',
      pods: [pending(big, '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable.')],
      cause: "no node may take Deployment backend's pods now: of 3 nodes, 1 with taint node-role.kubernetes.io/control-plane, 1 with taint node.kubernetes.io/unreachable, 1 cordoned",
    },
    {
      name: 'a container that keeps exiting: its last exit, no fix shakedown could know',
      pods: [running({ restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } })],
      cause: 'container agent of Deployment backend keeps exiting (last: Error, exit code 1; restarted 1 time)',
    },
    {
      name: 'a failing readiness probe, as the probe is written when the kubelet said nothing',
      pods: [running({ state: { running: {} } }, probed)],
      cause: 'the readiness probe of container agent in Deployment backend fails (GET /healthz on port http)',
    },
  ])('$name', ({ pods, cause }) => {
    expect(explainPods('backend', pods)).toEqual({ cause });
  });

  it("a failing readiness probe carries the kubelet's last word on it", () => {
    const failures = new Map([['backend-7c9d-x2', 'HTTP probe failed with statuscode: 503']]);
    expect(explainPods('backend', [running({ state: { running: {} } }, probed)], failures)?.cause).toBe('the readiness probe of container agent in Deployment backend fails (GET /healthz on port http: HTTP probe failed with statuscode: 503)');
  });

  it('a pod not placed says more than one failing its probe, whichever comes first', () => {
    const pinned = pending(withSelector, "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.");
    expect(explainPods('backend', [running({ state: { running: {} } }, probed), pinned])?.fix).toMatch(/^relax spec\.template\.spec\.nodeSelector/);
  });
});

describe('an unknown cause says nothing more than the message', () => {
  it.each([
    { name: 'a reason the scheduler gives that is not read', pods: [pending(backendSpec('healthy'), "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.")] },
    { name: 'a refusal that is not a node count', pods: [pending(backendSpec('healthy'), 'pod has unbound immediate PersistentVolumeClaims')] },
    { name: 'a selector refusal with no selector on the pod', pods: [pending(backendSpec('healthy'), "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.")] },
    { name: 'running, not ready, and no readiness probe', pods: [running({ state: { running: {} } })] },
    { name: 'a container still being created', pods: [running({ state: { waiting: { reason: 'ContainerCreating' } } })] },
    { name: 'no pod at all', pods: [] },
  ])('$name', ({ pods }) => {
    expect(explainPods('backend', pods)).toBeUndefined();
  });
});

describe('the shortfalls of a verdict', () => {
  const deployment = (name: string): V1Deployment => ({ metadata: { name }, spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: {} } });
  const crashing = (app: string) => {
    const pod = running({ restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 2 } } }, agent(), `${app}-1`);
    pod.metadata!.labels = { app };
    return pod;
  };

  it('the first deployment with a known cause is explained, the others with one counted', () => {
    const out = explainShortfalls([{ deployment: 'backend' }, { deployment: 'frontend' }], [deployment('backend'), deployment('frontend')], [crashing('backend'), crashing('frontend')]);
    expect(out?.cause).toBe('container agent of Deployment backend keeps exiting (last: Error, exit code 2; restarted 3 times) (and 1 more: frontend)');
  });

  it('pods on their way out, or healthy ones still bound to a down node, explain nothing', () => {
    const leaving = crashing('backend');
    leaving.metadata!.deletionTimestamp = new Date();
    const stranded: V1Pod = { metadata: { name: 'backend-2', labels: { app: 'backend' } }, spec: { nodeName: 'w1', containers: [] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(explainShortfalls([{ deployment: 'backend' }], [deployment('backend')], [leaving, stranded])).toBeUndefined();
  });
});

describe("the kubelet's readiness failures, from the namespace's events", () => {
  const event = (pod: string, message: string, at: string, kind = 'Pod'): CoreV1Event => ({ metadata: {}, involvedObject: { kind, name: pod }, reason: 'Unhealthy', message, lastTimestamp: at as never });

  it('keeps the latest readiness failure of each pod, without its prefix or a body after it', () => {
    const failures = lastProbeFailures(
      [
        event('backend-1', 'Readiness probe failed: Get "http://10.244.1.5:8080/healthz": dial tcp 10.244.1.5:8080: connect: connection refused', '2026-01-01T10:00:00Z'),
        event('backend-1', 'Readiness probe failed: HTTP probe failed with statuscode: 503\nnot ready yet', '2026-01-01T10:00:05Z'),
        event('backend-2', 'Liveness probe failed: HTTP probe failed with statuscode: 500', '2026-01-01T10:00:05Z'),
        event('backend', 'Readiness probe failed: something', '2026-01-01T10:00:05Z', 'Deployment'),
      ],
      'Readiness',
    );
    expect([...failures]).toEqual([['backend-1', 'HTTP probe failed with statuscode: 503']]);
  });
});

describe('the monitor', () => {
  const deployment: V1Deployment = { metadata: { name: 'backend' }, spec: { replicas: 1, selector: { matchLabels: { app: 'backend' } }, template: {} } };

  async function steadyState() {
    const bus = new EventBus();
    const ctx = { namespace: NS, signal: new AbortController().signal, bus, kubeConfig: {}, disruptions: new DisruptionTracker({ bus }), sample: () => {} } as unknown as AssertionContext;
    const monitor = await recoveredWithin.start(ctx, recoveredWithin.params.parse({}));
    try {
      return await monitor.steadyState!(ctx.signal);
    } finally {
      await monitor.stop();
    }
  }

  it("a failed verdict carries the cause, with the kubelet's words from the namespace's events", async () => {
    cluster.deployments = [deployment];
    cluster.pods = [running({ state: { running: {} } }, agent({ readinessProbe: { httpGet: { path: '/healthz', port: 'http' as never } } }))];
    cluster.probeFailures = new Map([['backend-7c9d-x2', 'HTTP probe failed with statuscode: 503']]);
    expect(await steadyState()).toMatchObject({
      status: 'failed',
      message: 'not ready before any fault: backend: 0 of 1 ready (backend-7c9d-x2: running but not ready)',
      explanation: { cause: 'the readiness probe of container agent in Deployment backend fails (GET /healthz on port http: HTTP probe failed with statuscode: 503)' },
    });
  });

  it('a failure whose cause the pods do not establish carries none', async () => {
    cluster.deployments = [deployment];
    cluster.pods = [running({ state: { running: {} } })];
    const out = await steadyState();
    expect(out.status).toBe('failed');
    expect(out).not.toHaveProperty('explanation');
  });
});

describe('pods stranded on a node that is down', () => {
  const deployment = (replicas: number): V1Deployment => ({ metadata: { name: 'backend' }, spec: { replicas, selector: { matchLabels: { app: 'backend' } }, template: {} } });
  const bound = (name: string, node: string, tolerationSeconds?: number): V1Pod => ({
    metadata: { name, labels: { app: 'backend' } },
    spec: { nodeName: node, containers: [], ...(tolerationSeconds !== undefined && { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds }] }) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const down = (node: string) => node === 'w2';

  it('a single replica on the terminated node (the single-replica spot drain): wait out the toleration, or run two', () => {
    expect(explainShortfalls([{ deployment: 'backend' }], [deployment(1)], [bound('backend-1', 'w2', 300)], new Map(), down)).toEqual({
      cause: '1 pod of Deployment backend is still bound to node w2, which is down: Kubernetes replaces it only once its toleration of node.kubernetes.io/unreachable runs out (300 s), and too few replicas are ready elsewhere meanwhile',
      fix: 'set spec.replicas of Deployment backend to at least 2, on different nodes, so one serves while the other waits out those 300 s',
    });
  });

  it('several replicas all on it: a shorter toleration', () => {
    expect(explainShortfalls([{ deployment: 'backend' }], [deployment(2)], [bound('backend-1', 'w2', 120), bound('backend-2', 'w2', 120)], new Map(), down)?.fix).toBe(
      "lower tolerationSeconds of the node.kubernetes.io/unreachable toleration in Deployment backend's pod template (now 120 s) so its pods are replaced sooner",
    );
  });

  it('nothing to say when enough replicas are ready elsewhere, or none is on a down node', () => {
    expect(explainShortfalls([{ deployment: 'backend' }], [deployment(1)], [bound('backend-1', 'w2'), bound('backend-2', 'w1')], new Map(), down)).toBeUndefined();
    expect(explainShortfalls([{ deployment: 'backend' }], [deployment(1)], [bound('backend-1', 'w1')], new Map(), down)).toBeUndefined();
  });
});

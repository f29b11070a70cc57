// availability's explanations: a failed window says which Deployment made it
// fail and what to change, when the workload log shows it, and nothing more
// when it does not. The causes are pure over plain objects; the monitor runs
// over watches faked in memory.
import type { V1Deployment, V1PodDisruptionBudget, V1PodSpec } from '@kubernetes/client-node';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { explainWindow, shortages, type WindowFacts } from '../../../src/assertions/availability/explain.ts';
import { type Placement, type ReadyPoint, WorkloadLog } from '../../../src/assertions/availability/history.ts';
import { availability } from '../../../src/assertions/availability/index.ts';
import type { AssertionContext } from '../../../src/assertions/types.ts';
import { type Disruption, DisruptionTracker, type Impact } from '../../../src/core/disruptions.ts';
import { EventBus } from '../../../src/core/events.ts';
import { K6Stream } from '../../../src/load/samples.ts';

const cluster = await vi.hoisted(async () => (await import('../../support/fake-watches.ts')).fakeCluster());
vi.mock('../../../src/kube/watch.ts', async () => (await import('../../support/fake-watches.ts')).fakeWatchModule(cluster));

const deployment = (name: string, replicas: number, podSpec: Partial<V1PodSpec> = {}): V1Deployment => ({
  metadata: { name, namespace: 'shop' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, 'app.kubernetes.io/part-of': 'shop' } }, spec: { containers: [], ...podSpec } } },
});
const budget = (name: string, app: string, spec: { minAvailable?: number | string; maxUnavailable?: number | string }): V1PodDisruptionBudget => ({
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app } }, ...spec },
});
const placed = (app: string, node: string): Placement => ({ labels: { app }, node, from: -60_000 });
const impact = (disruption: Disruption, t = 1000): Impact => ({ faultId: 'reclaim', faultType: 'spot-drain', t, disruption });
const drain = impact({ kind: 'evictions-begin', nodes: ['w1'], message: 'aws notice on w1' });
const stop = impact({ kind: 'nodes-stopped', nodes: ['w1'], message: 'w1 terminated (stop)' }, 30_000);
const kill = impact({ kind: 'pods-deleted', pods: ['shop/backend-1'], message: 'killed backend-1' });

/** [t, ready, desired] steps, before and in a window of 0..60 s. */
const series = (...steps: Array<[number, number, number]>): ReadyPoint[] => steps.map(([t, ready, desired]) => ({ t, ready, desired }));
const window = { start: 0, end: 60_000 };

function facts(over: Partial<Omit<WindowFacts, 'ready'>> & { ready: Record<string, ReadyPoint[]> }): WindowFacts {
  return { namespace: 'shop', window, deployments: [], budgets: [], podsAtStart: [], impacts: [], ...over, ready: (name) => over.ready[name] ?? [] };
}

const singleDown = series([-10_000, 1, 1], [12_000, 0, 1], [47_000, 1, 1]);
const threeGone = series([-10_000, 3, 3], [3_000, 0, 3], [25_000, 3, 3]);
const threeLate = series([-10_000, 3, 3], [30_000, 0, 3]);
const spread = [placed('backend', 'w1'), placed('backend', 'w2'), placed('backend', 'w3')];
const together = [placed('backend', 'w1'), placed('backend', 'w1'), placed('backend', 'w1')];

describe('availability explains a failed window by its known causes', () => {
  it.each([
    {
      cause: 'a single replica, under a budget that lets one of two go',
      facts: facts({ deployments: [deployment('backend', 1)], budgets: [budget('backend', 'backend', { minAvailable: '50%' })], ready: { backend: singleDown } }),
      why: 'Deployment shop/backend runs a single replica (spec.replicas 1): from +12s to +47s of the window (35s) it had 0 ready, so requests through it failed',
      fix: 'set spec.replicas of Deployment shop/backend to at least 2 (PodDisruptionBudget backend then lets a drain take one while another serves)',
    },
    {
      cause: 'a single replica without a budget',
      facts: facts({ deployments: [deployment('backend', 1)], ready: { backend: singleDown }, impacts: [kill] }),
      why: 'Deployment shop/backend runs a single replica (spec.replicas 1): from +12s to +47s of the window (35s) it had 0 ready, so requests through it failed',
      fix: 'set spec.replicas of Deployment shop/backend to at least 2 and add a PodDisruptionBudget with selector matchLabels {app: backend} and maxUnavailable: 1 (a drain then keeps one serving)',
    },
    {
      cause: 'a single replica under a budget that would keep both of two',
      facts: facts({ deployments: [deployment('backend', 1)], budgets: [budget('backend', 'backend', { minAvailable: '100%' })], ready: { backend: singleDown } }),
      why: 'Deployment shop/backend runs a single replica (spec.replicas 1): from +12s to +47s of the window (35s) it had 0 ready, so requests through it failed',
      fix: 'set spec.replicas of Deployment shop/backend to at least 2 and PodDisruptionBudget backend to maxUnavailable: 1 (its floor would still keep every pod, blocking the drain)',
    },
    {
      cause: 'no budget while the fault evicted: all its pods at once',
      facts: facts({ deployments: [deployment('backend', 3)], ready: { backend: threeGone }, podsAtStart: spread, impacts: [drain] }),
      why: "no PodDisruptionBudget in shop selects Deployment shop/backend's pods (labels app=backend), so nothing held the evictions back: from +3s to +25s of the window (22s) it had 0 of 3 ready",
      fix: 'add a PodDisruptionBudget in shop with selector matchLabels {app: backend} and maxUnavailable: 1',
    },
    {
      cause: 'no budget while the fault evicted: below half',
      facts: facts({ deployments: [deployment('backend', 3)], ready: { backend: series([-10_000, 3, 3], [3_000, 1, 3], [9_000, 2, 3]) }, impacts: [drain] }),
      why: "no PodDisruptionBudget in shop selects Deployment shop/backend's pods (labels app=backend), so nothing held the evictions back: from +3s to +9s of the window (6s) it had 1 of 3 ready",
      fix: 'add a PodDisruptionBudget in shop with selector matchLabels {app: backend} and maxUnavailable: 1',
    },
    {
      cause: 'every pod on the node the fault took, no spread asked for',
      facts: facts({ deployments: [deployment('backend', 3)], budgets: [budget('backend', 'backend', { maxUnavailable: 1 })], ready: { backend: threeLate }, podsAtStart: together, impacts: [drain, stop] }),
      why: 'all 3 pods of Deployment shop/backend ran on node w1 when the window began, so the fault on that node left it 0 of 3 ready from +30s to +60s of the window (30s, still at its end)',
      fix: "add to Deployment shop/backend's pod template spec.topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: backend}}}] (or a podAntiAffinity on kubernetes.io/hostname)",
    },
    {
      cause: 'every pod on the node the fault took, spread only asked for',
      facts: facts({
        deployments: [deployment('backend', 3, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }] })],
        budgets: [budget('backend', 'backend', { maxUnavailable: 1 })],
        ready: { backend: threeLate },
        podsAtStart: together,
        impacts: [drain, stop],
      }),
      why: 'all 3 pods of Deployment shop/backend ran on node w1 when the window began, so the fault on that node left it 0 of 3 ready from +30s to +60s of the window (30s, still at its end)',
      fix: "set whenUnsatisfiable of the kubernetes.io/hostname topologySpreadConstraint in Deployment shop/backend's pod template to DoNotSchedule (ScheduleAnyway let the scheduler put them together)",
    },
    {
      cause: 'every pod on the node a node stop took, no budget needed to say so',
      facts: facts({ deployments: [deployment('backend', 3)], ready: { backend: threeLate }, podsAtStart: together, impacts: [stop] }),
      why: 'all 3 pods of Deployment shop/backend ran on node w1 when the window began, so the fault on that node left it 0 of 3 ready from +30s to +60s of the window (30s, still at its end)',
      fix: "add to Deployment shop/backend's pod template spec.topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: backend}}}] (or a podAntiAffinity on kubernetes.io/hostname)",
    },
    {
      cause: 'every pod on the node the fault took, because a required node affinity put them there (the never-ready variant)',
      facts: facts({
        deployments: [
          deployment('backend', 3, {
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
            affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pin', operator: 'In', values: ['true'] }] }] } } },
          }),
        ],
        budgets: [budget('backend', 'backend', { maxUnavailable: 1 })],
        ready: { backend: threeLate },
        podsAtStart: together,
        impacts: [drain, stop],
      }),
      why: 'all 3 pods of Deployment shop/backend ran on node w1, where its required node affinity (pin in (true)) confines them, so the fault on that node left it 0 of 3 ready from +30s to +60s of the window (30s, still at its end)',
      fix: 'relax spec.template.spec.affinity.nodeAffinity of Deployment shop/backend (pin in (true)) so its pods can run on more than one node',
    },
  ])('$cause', ({ facts, why, fix }) => {
    expect(explainWindow(facts)).toEqual({ cause: why, fix });
  });

  it('every pod on one node though the Deployment demands spread: the cause, and no fix of the Deployment to offer', () => {
    const strict = deployment('backend', 3, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }] });
    const explained = explainWindow(facts({ deployments: [strict], budgets: [budget('backend', 'backend', { maxUnavailable: 1 })], ready: { backend: threeLate }, podsAtStart: together, impacts: [drain, stop] }));
    expect(explained?.cause).toMatch(/^all 3 pods of Deployment shop\/backend ran on node w1 /);
    expect(explained).not.toHaveProperty('fix');
  });

  const zoneDown = impact({ kind: 'nodes-stopped', nodes: ['w1', 'w3'], zone: 'zone-a', message: 'zone zone-a down: w1, w3 stopped' }, 30_000);
  const inZoneA = [placed('backend', 'w1'), placed('backend', 'w3'), placed('backend', 'w1')];

  it.each([
    {
      cause: 'a nodeSelector that keeps the stack in one zone (the one-zone variant)',
      spec: { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-a' } },
      why: 'all 3 pods of Deployment shop/backend ran in zone zone-a (w1, w3), where its nodeSelector {topology.kubernetes.io/zone: zone-a} confines them, and the fault took that zone down whole, so it had 0 of 3 ready from +30s to +60s of the window (30s, still at its end)',
      fix: 'relax spec.template.spec.nodeSelector of Deployment shop/backend (topology.kubernetes.io/zone: zone-a) so its pods can run in more than one zone, and add to its pod template spec.topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: backend}}}]',
    },
    {
      cause: 'spread over nodes only, which one zone satisfied',
      spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' as const }] },
      why: 'all 3 pods of Deployment shop/backend ran in zone zone-a (w1, w3), and the fault took that zone down whole, so it had 0 of 3 ready from +30s to +60s of the window (30s, still at its end)',
      fix: "add to Deployment shop/backend's pod template spec.topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: backend}}}] (spreading over nodes alone lets one zone hold every pod)",
    },
  ])('every pod in the zone the fault took down: $cause', ({ spec, why, fix }) => {
    const explained = explainWindow(facts({ deployments: [deployment('backend', 3, spec)], budgets: [budget('backend', 'backend', { maxUnavailable: 1 })], ready: { backend: threeLate }, podsAtStart: inZoneA, impacts: [zoneDown] }));
    expect(explained).toEqual({ cause: why, fix });
  });

  it('every pod in the lost zone though the Deployment demands zone spread: the cause, and no fix of the Deployment to offer', () => {
    const strict = deployment('backend', 3, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }] });
    const explained = explainWindow(facts({ deployments: [strict], ready: { backend: threeLate }, podsAtStart: inZoneA, impacts: [zoneDown] }));
    expect(explained?.cause).toMatch(/^all 3 pods of Deployment shop\/backend ran in zone zone-a /);
    expect(explained).not.toHaveProperty('fix');
  });

  const dnsDown: Impact = { faultId: 'dns-down', faultType: 'dns-outage', t: 1000, disruption: { kind: 'traffic-degraded', nodes: ['cp'], pods: ['kube-system/coredns-1'], message: 'DNS queries to kube-system/coredns-1 dropped' } };

  it('a DNS outage with every Deployment whole: fresh lookups failed, and connections reused would not have', () => {
    const whole = series([-10_000, 3, 3]);
    expect(explainWindow(facts({ deployments: [deployment('frontend', 3), deployment('backend', 3)], ready: { frontend: whole, backend: whole }, impacts: [dnsDown] }))).toEqual({
      cause: 'every Deployment kept its ready pods, but the cluster DNS did not answer (DNS queries to kube-system/coredns-1 dropped): requests that needed a fresh lookup of a Service name failed',
      fix: 'reuse connections to the Services your pods call (HTTP keep-alive or a connection pool) and cache lookups on the nodes (NodeLocal DNSCache), so a DNS outage fails new names only, not every request',
    });
  });

  it('a DNS outage while the HPA scaled a Deployment up (ready behind a raised spec.replicas) or down: nothing was lost, the outage is the cause', () => {
    const scaledUp = series([-10_000, 3, 3], [4_000, 3, 5], [9_000, 5, 5]);
    const scaledDown = series([-10_000, 5, 5], [4_000, 3, 3]);
    expect(explainWindow(facts({ deployments: [deployment('frontend', 3), deployment('backend', 5)], ready: { frontend: scaledUp, backend: scaledDown }, impacts: [dnsDown] }))?.cause).toMatch(
      /^every Deployment kept its ready pods, but the cluster DNS did not answer/,
    );
  });

  it('a DNS outage while a Deployment fell short: the outage is not blamed for what the workload lost', () => {
    expect(explainWindow(facts({ deployments: [deployment('backend', 3)], ready: { backend: series([-10_000, 3, 3], [5_000, 2, 3]) }, impacts: [dnsDown] }))).toBeUndefined();
  });

  const onBackends = (kind: 'traffic-degraded' | 'resources-pressed', message: string, faultType: string, resource?: 'cpu' | 'memory', amount?: string): Impact => ({
    faultId: 'f',
    faultType,
    t: 1000,
    disruption: { kind, ...(resource && { resource }), ...(amount && { amount }), nodes: ['w1'], pods: ['shop/backend-5c97bfdfb9-nt9gb', 'shop/backend-5c97bfdfb9-x2x4q'], message } as Impact['disruption'],
  });
  const stack = [deployment('frontend', 3), deployment('backend', 3)];
  const whole = { frontend: series([-10_000, 3, 3]), backend: series([-10_000, 3, 3]) };

  it('packet loss on the backends, every Deployment whole: the lost packets, and a per-try timeout with a retry', () => {
    const explained = explainWindow(facts({ deployments: stack, ready: whole, impacts: [onBackends('traffic-degraded', 'dropping 50% of the packets to and from 2 pods matching app=backend', 'packet-loss')] }));
    expect(explained).toEqual({
      cause: 'the fault was dropping 50% of the packets to and from 2 pods matching app=backend (Deployment shop/backend): a request whose packets were lost waited for its retransmission or its timeout, or failed',
      fix: 'give the calls to Deployment shop/backend a short per-try timeout and a retry for idempotent requests, so one lost packet costs a retry rather than the request',
    });
  });

  it('CPU burned inside the backends: throttled under their limit, with the limit to raise', () => {
    const explained = explainWindow(
      facts({ deployments: stack, ready: whole, impacts: [onBackends('resources-pressed', '8 CPU busy loops inside shop/backend-5c97bfdfb9-nt9gb, shop/backend-5c97bfdfb9-x2x4q', 'resource-pressure', 'cpu', '8 CPU busy loops')] }),
    );
    expect(explained?.cause).toBe('the fault ran 8 CPU busy loops inside the containers of Deployment shop/backend, sharing their CPU limit: the servers were throttled, and requests waited for CPU');
    expect(explained?.fix).toMatch(/^raise resources\.limits\.cpu of Deployment shop\/backend /);
  });

  it("memory held past the backends' limit: OOM kills explain the pods they lost, with the limit and the replicas to change", () => {
    const oomed = { frontend: series([-10_000, 3, 3]), backend: series([-10_000, 3, 3], [2_000, 0, 3], [6_000, 3, 3]) };
    const explained = explainWindow(facts({ deployments: stack, ready: oomed, impacts: [onBackends('resources-pressed', '64Mi held inside shop/backend-5c97bfdfb9-nt9gb, shop/backend-5c97bfdfb9-x2x4q', 'resource-pressure', 'memory', '64Mi')] }));
    expect(explained?.cause).toMatch(/^the fault held 64Mi inside Deployment shop\/backend, past their memory limit: the kernel OOM-killed their containers/);
    expect(explained?.fix).toMatch(/resources\.limits\.memory/);
  });

  it('CPU burned beside the pods on their nodes: the requests that reserve their share', () => {
    const beside: Impact = { faultId: 'f', faultType: 'resource-pressure', t: 1000, disruption: { kind: 'resources-pressed', resource: 'cpu', amount: '4 CPU busy loops', nodes: ['w1'], message: '4 CPU busy loops on w1, beside the pods' } };
    expect(explainWindow(facts({ deployments: stack, ready: whole, impacts: [beside] }))?.fix).toMatch(/^set resources\.requests\.cpu /);
  });

  it('covers the most telling cause, the longest shortage first, and counts the others', () => {
    const frontendDown = series([-10_000, 1, 1], [20_000, 0, 1], [30_000, 1, 1]);
    const explained = explainWindow(facts({ deployments: [deployment('frontend', 1), deployment('backend', 1), deployment('api', 3)], ready: { frontend: frontendDown, backend: singleDown, api: threeGone }, impacts: [drain] }));
    expect(explained?.cause).toMatch(/^Deployment shop\/backend runs a single replica .* \(and 2 more: frontend, api\)$/);
    expect(explained?.fix).toMatch(/^set spec\.replicas of Deployment shop\/backend /);
  });

  it.each([
    { cause: 'no Deployment fell short', facts: facts({ deployments: [deployment('backend', 3)], ready: { backend: series([-10_000, 3, 3], [5_000, 2, 3]) }, impacts: [drain] }) },
    { cause: 'a shortage before the window, over when it began', facts: facts({ deployments: [deployment('backend', 1)], ready: { backend: series([-20_000, 0, 1], [-5_000, 1, 1]) } }) },
    {
      cause: 'a budgeted Deployment spread over nodes fell to 0',
      facts: facts({ deployments: [deployment('backend', 3)], budgets: [budget('backend', 'backend', { maxUnavailable: 1 })], ready: { backend: threeGone }, podsAtStart: spread, impacts: [drain] }),
    },
    { cause: 'no budget, but the fault did not evict: a budget would not have applied', facts: facts({ deployments: [deployment('backend', 3)], ready: { backend: threeGone }, podsAtStart: spread, impacts: [stop] }) },
    {
      cause: 'all on one node, but the fault hit none of it',
      facts: facts({ deployments: [deployment('backend', 3)], budgets: [budget('backend', 'backend', { maxUnavailable: 1 })], ready: { backend: threeGone }, podsAtStart: together, impacts: [kill] }),
    },
    {
      cause: 'a budget selecting other pods does not count as its budget, but nothing else is known',
      facts: facts({ deployments: [deployment('backend', 3)], budgets: [budget('web', 'web', { maxUnavailable: 1 })], ready: { backend: threeGone }, podsAtStart: spread, impacts: [kill] }),
    },
  ])('unknown when $cause', ({ facts }) => {
    expect(explainWindow(facts)).toBeUndefined();
  });
});

describe('shortages: the ready series read as steps inside the window', () => {
  it('starts from the count the window began with, ends each stretch at the next change, and leaves the last one open to the end', () => {
    const points = series([-5_000, 0, 2], [10_000, 2, 2], [20_000, 0, 2], [25_000, 0, 3], [70_000, 3, 3]);
    expect(shortages(points, window, (p) => p.ready === 0)).toEqual([
      { from: 0, to: 10_000, lowest: 0, desired: 2 },
      { from: 20_000, to: 60_000, lowest: 0, desired: 2 },
    ]);
  });

  it('keeps the lowest count of a stretch', () => {
    expect(shortages(series([-1, 3, 3], [1_000, 1, 3], [2_000, 0, 3], [3_000, 1, 3], [4_000, 3, 3]), window, (p) => p.ready * 2 < p.desired)).toEqual([{ from: 1_000, to: 4_000, lowest: 0, desired: 3 }]);
  });
});

describe('the workload log', () => {
  const pod = (name: string, node: string, ready = true, deleting = false) => ({
    metadata: { name, uid: name, labels: { app: 'backend' }, ...(deleting && { deletionTimestamp: new Date() }) },
    spec: { nodeName: node, containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('counts serving pods only, a pod on a down node not among them, and keeps changes only', () => {
    const log = new WorkloadLog();
    const d = deployment('backend', 2);
    log.record(0, [d], [pod('a', 'w1'), pod('b', 'w2')], () => false);
    log.record(1_000, [d], [pod('a', 'w1'), pod('b', 'w2')], () => false);
    log.record(2_000, [d], [pod('a', 'w1'), pod('b', 'w2')], (node) => node === 'w2');
    log.record(3_000, [d], [pod('a', 'w1', true, true), pod('b', 'w2', false)], () => false);
    expect(log.readySeries('backend')).toEqual(series([0, 2, 2], [2_000, 1, 2], [3_000, 0, 2]));
  });

  it('knows which pods ran where at a moment: none that had left, none not yet placed', () => {
    const log = new WorkloadLog();
    log.record(0, [], [pod('a', 'w1'), pod('b', 'w1')], () => false);
    log.record(5_000, [], [pod('a', 'w1', true, true), pod('b', 'w1'), pod('c', 'w2')], () => false);
    log.record(9_000, [], [pod('c', 'w2')], () => false);
    const at = (t: number) => log.podsAt(t).map((p) => `${p.node}`);
    expect([at(1_000), at(6_000), at(10_000)]).toEqual([['w1', 'w1'], ['w1', 'w2'], ['w2']]);
  });
});

describe('the availability monitor over watched workloads', () => {
  beforeEach(() => {
    cluster.onPod = undefined;
  });

  const backendPod = (ready: boolean) => ({
    metadata: { name: 'backend-1', uid: 'backend-1', labels: { app: 'backend' } },
    spec: { nodeName: 'w1', containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  async function start() {
    const bus = new EventBus();
    const aborted = new AbortController();
    // An aborted signal skips the wait for k6's last points.
    aborted.abort();
    const load = new K6Stream();
    const ctx = { namespace: 'shop', signal: aborted.signal, bus, kubeConfig: {}, load, disruptions: new DisruptionTracker({ bus }) } as unknown as AssertionContext;
    const params = availability.params.parse({});
    return { monitor: await availability.start(ctx, params), load };
  }

  it('a failed window whose single replica went down says so; a window without load says nothing more', async () => {
    cluster.deployments = [deployment('backend', 1)];
    cluster.pdbs = [budget('backend', 'backend', { minAvailable: '50%' })];
    cluster.pods = [backendPod(true)];
    const { monitor, load } = await start();
    const begun = Date.now() - 1_000;

    const silent = await monitor.judgeWindow!({ id: 'quiet', start: begun, end: Date.now() + 1 });
    expect(silent).toMatchObject({ status: 'failed', message: expect.stringContaining('no load, no proof') });
    expect(silent).not.toHaveProperty('explanation');

    cluster.pods = [backendPod(false)];
    cluster.podsChanged();
    const end = Date.now() + 5_000;
    for (let t = begun; t < end; t += 100) load.requests.push({ t, failed: t > begun + 1_000, durationMs: 30 });
    const verdict = await monitor.judgeWindow!({ id: 'reclaim', start: begun, end });
    expect(verdict.status).toBe('failed');
    expect(verdict.explanation?.cause).toMatch(/^Deployment shop\/backend runs a single replica \(spec\.replicas 1\): from \+1s to \+6s of the window \(5s, still at its end\) it had 0 ready, so requests through it failed$/);
    expect(verdict.explanation?.fix).toBe('set spec.replicas of Deployment shop/backend to at least 2 (PodDisruptionBudget backend then lets a drain take one while another serves)');
    await monitor.stop();
  });
});

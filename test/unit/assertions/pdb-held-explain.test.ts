// pdb-held's explanations: a failed window names the budget that is
// missing, mistyped or doubled, or the fault that took pods past the
// Eviction API, with the one change to make; an unknown cause adds nothing.
import type { V1Deployment, V1LabelSelector, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { coverageOf } from '../../../src/assertions/shared/budgets.ts';
import { explainFailure, type PdbFacts, rememberPod, type SeenPod, type Violation } from '../../../src/assertions/pdb-held/explain.ts';
import { pdbHeld } from '../../../src/assertions/pdb-held/index.ts';
import { meantFor, strayBudgets } from '../../../src/assertions/pdb-held/stray.ts';
import type { AssertionContext } from '../../../src/assertions/types.ts';
import { type Disruption, DisruptionTracker, type Impact } from '../../../src/core/disruptions.ts';
import { EventBus } from '../../../src/core/events.ts';

const cluster = vi.hoisted(() => ({ deployments: [] as unknown[], pdbs: [] as unknown[], pods: [] as unknown[] }));

vi.mock('../../../src/kube/watch.ts', () => {
  const watched = (items: () => unknown[]) => async () => ({ list: () => [...items()], stop: async () => {} });
  return { watchDeployments: watched(() => cluster.deployments), watchPdbs: watched(() => cluster.pdbs), watchPods: watched(() => cluster.pods) };
});

const deployment = (name: string, replicas = 3): V1Deployment => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: 'front', 'app.kubernetes.io/part-of': 'shop' } } } },
});
const budget = (name: string, selector: V1LabelSelector | undefined, spec: { minAvailable?: number | string; maxUnavailable?: number | string } = { maxUnavailable: 1 }): V1PodDisruptionBudget => ({
  metadata: { name },
  spec: { ...(selector && { selector }), ...spec },
});
const pod = (name: string, app: string): V1Pod => ({ metadata: { name, labels: { app } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
const violation = (deployment: string, healthy: number, floor: number, budget?: string, t = 20_000): Violation => ({ t, deployment, healthy, floor, ...(budget && { budget }) });
const impact = (disruption: Disruption, t = 10_000, faultId = 'chaos'): Impact => ({ faultId, faultType: 'pod-kill', t, disruption });

const web = deployment('web');
const api = deployment('api');
const webPdb = budget('web-pdb', { matchLabels: { app: 'web' } });
const frontPdb = budget('front-pdb', { matchLabels: { tier: 'front' } }, { minAvailable: 1 });
/** web's pods as the watch saw them: on w1, still there when the fault came. */
const webPods = new Map<string, SeenPod>([
  ['shop/web-1', { labels: { app: 'web' }, node: 'w1' }],
  ['shop/web-2', { labels: { app: 'web' }, node: 'w2' }],
]);

function facts(over: Partial<PdbFacts> & { budgets?: V1PodDisruptionBudget[] }): PdbFacts {
  const budgets = over.budgets ?? [];
  const deployments = over.deployments ?? [web, api];
  return {
    namespace: 'shop',
    window: { start: 0, end: 60_000 },
    violations: [],
    missing: [],
    deployments,
    coverage: (d) => coverageOf(d, budgets, '50%'),
    stray: strayBudgets(budgets, deployments, []),
    impacts: [],
    seen: webPods,
    ...over,
  };
}

describe('pdb-held explains a failed window by its known causes', () => {
  it.each([
    {
      cause: 'a deployment without a budget, labels from its own selector',
      facts: facts({ budgets: [webPdb], missing: ['api'] }),
      why: "no PodDisruptionBudget in shop selects Deployment shop/api's pods (labels app=api)",
      fix: 'add a PodDisruptionBudget in shop with selector matchLabels {app: api} and maxUnavailable: 1',
    },
    {
      cause: 'a budget whose selector has a typo in a value',
      facts: facts({ budgets: [budget('web-budget', { matchLabels: { app: 'wbe' } }), budget('api-pdb', { matchLabels: { app: 'api' } })], missing: ['web'] }),
      why: "PodDisruptionBudget web-budget selects app=wbe, which matches no pod and no deployment's pod template: it was probably meant for Deployment shop/web (pod labels app=web), which no budget covers",
      fix: "set spec.selector of PodDisruptionBudget shop/web-budget to matchLabels {app: web} (Deployment shop/web's pod labels)",
    },
    {
      cause: 'a budget whose selector has a typo in a key: its name tells which deployment',
      facts: facts({ budgets: [budget('api-pdb', { matchLabels: { ap: 'api' } })], missing: ['api', 'web'] }),
      why: "PodDisruptionBudget api-pdb selects ap=api, which matches no pod and no deployment's pod template: it was probably meant for Deployment shop/api (pod labels app=api), which no budget covers (and 1 more: web)",
      fix: "set spec.selector of PodDisruptionBudget shop/api-pdb to matchLabels {app: api} (Deployment shop/api's pod labels)",
    },
    {
      cause: 'a budget without a selector',
      facts: facts({ budgets: [budget('web-pdb', undefined), budget('api-pdb', { matchLabels: { app: 'api' } })], missing: ['web'] }),
      why: 'PodDisruptionBudget web-pdb has no selector, so it matches no pod: it was probably meant for Deployment shop/web (pod labels app=web), which no budget covers',
      fix: "set spec.selector of PodDisruptionBudget shop/web-pdb to matchLabels {app: web} (Deployment shop/web's pod labels)",
    },
    {
      cause: 'a deployment without a budget fell below the default floor while evictions ran',
      facts: facts({ budgets: [webPdb], violations: [violation('api', 0, 2)], missing: ['api'] }),
      why: "no PodDisruptionBudget in shop selects Deployment shop/api's pods (labels app=api), so evictions took it to 0 healthy pods (below 2, the floor pdb-held sets for a deployment without one)",
      fix: 'add a PodDisruptionBudget in shop with selector matchLabels {app: api} and maxUnavailable: 1',
    },
    {
      cause: 'a deployment under two budgets fell below the stricter floor',
      facts: facts({ budgets: [webPdb, frontPdb], deployments: [web], violations: [violation('web', 1, 2, 'web-pdb')] }),
      why: `Deployment shop/web's pods are under 2 PodDisruptionBudgets (web-pdb, front-pdb), and the Eviction API refuses to evict such a pod ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"); it fell to 1 healthy pod against the stricter floor, 2 (web-pdb)`,
      fix: "merge PodDisruptionBudgets web-pdb and front-pdb or narrow one's selector so each pod has one",
    },
  ])('$cause', ({ facts, why, fix }) => {
    expect(explainFailure(facts)).toEqual({ cause: why, fix });
  });

  it.each([
    {
      cause: 'a fault deleted its pods directly',
      removed: impact({ kind: 'pods-deleted', pods: ['shop/web-1', 'shop/api-1'], message: 'killed web-1, api-1' }, 10_000, 'kill-web'),
      why: 'Deployment shop/web fell to 1 healthy pod (floor 2, PodDisruptionBudget web-pdb) after fault kill-web deleted its pods directly (shop/web-1), outside the Eviction API: no PodDisruptionBudget stops that',
    },
    {
      cause: 'a fault stopped the node its pods ran on',
      removed: impact({ kind: 'nodes-stopped', nodes: ['w2'], message: 'w2 stopped' }, 10_000, 'stop-w2'),
      why: 'Deployment shop/web fell to 1 healthy pod (floor 2, PodDisruptionBudget web-pdb) after fault stop-w2 stopped node w2, with its pods on it (shop/web-2), outside the Eviction API: no PodDisruptionBudget stops that',
    },
    {
      cause: 'a fault cut its node off, reported just after the watch saw it fall',
      removed: impact({ kind: 'nodes-cut-off', nodes: ['w1'], message: 'w1 cut off' }, 22_000, 'partition'),
      why: 'Deployment shop/web fell to 1 healthy pod (floor 2, PodDisruptionBudget web-pdb) after fault partition cut node w1 off the network, with its pods on it (shop/web-1), outside the Eviction API: no PodDisruptionBudget stops that',
    },
  ])('$cause: the cause, and no fix of the stack to offer', ({ removed, why }) => {
    const explained = explainFailure(facts({ budgets: [webPdb], deployments: [web], violations: [violation('web', 1, 2, 'web-pdb')], impacts: [removed] }));
    expect(explained).toEqual({ cause: why });
  });

  it('covers the first failing deployment it can explain, and counts the others', () => {
    const explained = explainFailure(facts({ budgets: [webPdb], violations: [violation('web', 1, 2, 'web-pdb'), violation('api', 0, 2)], missing: ['api', 'db'], deployments: [web, api, deployment('db')] }));
    expect(explained?.cause).toMatch(/^no PodDisruptionBudget in shop selects Deployment shop\/api's pods .* \(and 2 more: web, db\)$/);
  });

  it.each([
    { cause: 'it fell below its one budget with no fault taking its pods', facts: facts({ budgets: [webPdb], deployments: [web], violations: [violation('web', 1, 2, 'web-pdb')] }) },
    {
      cause: 'another deployment’s pods were deleted',
      facts: facts({ budgets: [webPdb], deployments: [web], violations: [violation('web', 1, 2, 'web-pdb')], impacts: [impact({ kind: 'pods-deleted', pods: ['shop/api-1'], message: 'killed api-1' })] }),
    },
    {
      cause: 'its node stopped after its pods had already left it',
      facts: facts({
        budgets: [webPdb],
        deployments: [web],
        violations: [violation('web', 1, 2, 'web-pdb')],
        seen: new Map([['shop/web-1', { labels: { app: 'web' }, node: 'w1', leftAt: 5_000 }]]),
        impacts: [impact({ kind: 'nodes-stopped', nodes: ['w1'], message: 'w1 stopped' })],
      }),
    },
    {
      cause: 'the pods were deleted before the window',
      facts: facts({ budgets: [webPdb], deployments: [web], window: { start: 15_000, end: 60_000 }, violations: [violation('web', 1, 2, 'web-pdb')], impacts: [impact({ kind: 'pods-deleted', pods: ['shop/web-1'], message: 'killed web-1' })] }),
    },
    {
      cause: 'their packets were dropped: no proof they went unready for it',
      facts: facts({ budgets: [webPdb], deployments: [web], violations: [violation('web', 1, 2, 'web-pdb')], impacts: [impact({ kind: 'traffic-degraded', nodes: ['w1'], message: '30% loss on w1' })] }),
    },
  ])('unknown when $cause', ({ facts }) => {
    expect(explainFailure(facts)).toBeUndefined();
  });
});

describe('meantFor: the deployment a stray budget was written for', () => {
  it.each<{ cause: string; selector: Record<string, string>; meant?: string }>([
    { cause: 'a value a typo away', selector: { app: 'apii', tier: 'front' }, meant: 'api' },
    { cause: 'a key a typo away', selector: { ap: 'web' }, meant: 'web' },
    { cause: 'no label of either', selector: { team: 'payments' }, meant: undefined },
    // Sharing the key app says nothing: every deployment has it.
    { cause: 'a shared key, its value no typo of theirs', selector: { app: 'db' }, meant: undefined },
  ])('$cause: $meant', ({ selector, meant }) => {
    expect(meantFor(budget('x', { matchLabels: selector }), [web, api])?.metadata?.name).toBe(meant);
  });
});

describe('rememberPod: whose a pod was and where, after it is gone', () => {
  it('keeps its labels and node, and when it first left', () => {
    const seen = new Map<string, SeenPod>();
    const p = { metadata: { name: 'web-1', labels: { app: 'web' } }, spec: { nodeName: 'w1', containers: [] } } as V1Pod;
    rememberPod(seen, p, 'add', 'shop', 1_000);
    rememberPod(seen, { ...p, metadata: { ...p.metadata, deletionTimestamp: new Date() } }, 'update', 'shop', 2_000);
    rememberPod(seen, p, 'delete', 'shop', 3_000);
    expect(seen.get('shop/web-1')).toEqual({ labels: { app: 'web' }, node: 'w1', leftAt: 2_000 });
  });
});

describe('the pdb-held monitor explains its failed window', () => {
  it('names the mistyped budget and the selector to give it', async () => {
    cluster.deployments = [deployment('web', 2), deployment('api', 2)];
    cluster.pdbs = [budget('web-pdb', { matchLabels: { app: 'wbe' } }, { minAvailable: 1 }), budget('api-pdb', { matchLabels: { app: 'api' } }, { minAvailable: 1 })];
    cluster.pods = [pod('web-1', 'web'), pod('api-1', 'api')];
    const bus = new EventBus();
    const ctx = { assertion: { name: 'pdb-held', type: 'pdb-held', params: {} }, namespace: 'shop', bus, kubeConfig: {}, disruptions: new DisruptionTracker({ bus }), sample: () => {} } as unknown as AssertionContext;
    const monitor = await pdbHeld.start(ctx, pdbHeld.params.parse({}));
    const verdict = await monitor.judgeWindow!({ id: 'reclaim', start: 0, end: Date.now() });
    expect(verdict).toMatchObject({ status: 'failed', explanation: { fix: "set spec.selector of PodDisruptionBudget shop/web-pdb to matchLabels {app: web} (Deployment shop/web's pod labels)" } });
    await monitor.stop();
  });

  it('a passing window carries no explanation', async () => {
    cluster.pdbs = [budget('web-pdb', { matchLabels: { app: 'web' } }, { minAvailable: 1 }), budget('api-pdb', { matchLabels: { app: 'api' } }, { minAvailable: 1 })];
    const bus = new EventBus();
    const ctx = { assertion: { name: 'pdb-held', type: 'pdb-held', params: {} }, namespace: 'shop', bus, kubeConfig: {}, disruptions: new DisruptionTracker({ bus }), sample: () => {} } as unknown as AssertionContext;
    const monitor = await pdbHeld.start(ctx, pdbHeld.params.parse({}));
    const verdict = await monitor.judgeWindow!({ id: 'reclaim', start: 0, end: Date.now() });
    expect(verdict.status).toBe('passed');
    expect(verdict).not.toHaveProperty('explanation');
    await monitor.stop();
  });
});

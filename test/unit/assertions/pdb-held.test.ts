// pdb-held's budget logic: which budgets cover a deployment, budgets that
// select nothing, and pods under more than one budget. The pure parts are
// tested directly; the monitor runs over watches faked in memory.
import type { V1Deployment, V1LabelSelector, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { coverageOf, drainBlockers, sharedBudgets } from '../../../src/assertions/shared/budgets.ts';
import { strayBudgets, strayNote, uncoveredNote } from '../../../src/assertions/pdb-held/stray.ts';
import { pdbHeld } from '../../../src/assertions/pdb-held/index.ts';
import { selectorText } from '../../../src/assertions/shared/pods.ts';
import type { AssertionContext } from '../../../src/assertions/types.ts';
import { DisruptionTracker } from '../../../src/core/disruptions.ts';
import { EventBus } from '../../../src/core/events.ts';

// The cluster as the watches see it; tests replace the pods and call `podsChanged`.
const cluster = await vi.hoisted(async () => (await import('../../support/fake-watches.ts')).fakeCluster());
vi.mock('../../../src/kube/watch.ts', async () => (await import('../../support/fake-watches.ts')).fakeWatchModule(cluster));

const deployment = (name: string, labels: Record<string, string>, replicas: number): V1Deployment => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: labels.app! } }, template: { metadata: { labels } } },
});
const budget = (name: string, selector: V1LabelSelector | undefined, spec: { minAvailable?: number | string; maxUnavailable?: number | string }): V1PodDisruptionBudget => ({
  metadata: { name },
  spec: { ...(selector && { selector }), ...spec },
});
const pod = (name: string, labels: Record<string, string>, ready = true): V1Pod => ({
  metadata: { name, labels },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

const web = { app: 'web', tier: 'front' };
const api = { app: 'api', tier: 'back' };

describe('coverage: every budget that covers a deployment, the strictest setting the floor', () => {
  it('lists both budgets of a deployment under two, and takes the higher floor whichever comes first', () => {
    const loose = budget('web-pdb', { matchLabels: { app: 'web' } }, { minAvailable: 1 });
    const strict = budget('front-pdb', { matchLabels: { tier: 'front' } }, { maxUnavailable: 1 });
    expect(coverageOf(deployment('web', web, 3), [loose, strict], '50%')).toEqual({ deployment: 'web', budgets: ['web-pdb', 'front-pdb'], budget: 'front-pdb', floor: 2, expected: 3 });
    expect(coverageOf(deployment('web', web, 3), [strict, loose], '50%')).toMatchObject({ budget: 'front-pdb', floor: 2 });
  });

  it('falls back to the default floor, naming no budget, when none covers it', () => {
    expect(coverageOf(deployment('api', api, 3), [budget('web-pdb', { matchLabels: { app: 'web' } }, { minAvailable: 1 })], '50%')).toEqual({ deployment: 'api', budgets: [], floor: 2, expected: 3 });
  });

  it('names each deployment under more than one budget, and both budgets: the Eviction API refuses its pods', () => {
    const entry = (deployment: string, budgets: string[], expected = 3) => ({ deployment, budgets, ...(budgets[0] && { budget: budgets[0] }), floor: 1, expected });
    expect(sharedBudgets([entry('web', ['web-pdb']), entry('api', [])])).toBeUndefined();
    expect(sharedBudgets([entry('web', ['web-pdb', 'front-pdb']), entry('api', ['api-pdb'])])).toBe(
      'web is under 2 PodDisruptionBudgets (web-pdb, front-pdb): the Eviction API refuses to evict its pods ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"), so no drain of a node running them can finish',
    );
    expect(sharedBudgets([entry('web', ['web-pdb', 'all-pdb']), entry('api', ['api-pdb', 'all-pdb'])])).toMatch(
      /^web is under 2 PodDisruptionBudgets \(web-pdb, all-pdb\), api is under 2 PodDisruptionBudgets \(api-pdb, all-pdb\): the Eviction API refuses to evict their pods/,
    );
    // Scaled to zero: no pod to evict, nothing blocked.
    expect(sharedBudgets([entry('web', ['web-pdb', 'front-pdb'], 0)])).toBeUndefined();
  });

  it('puts every reason a drain cannot finish into one note, a sentence each', () => {
    const shared = { deployment: 'web', budgets: ['web-pdb', 'front-pdb'], budget: 'front-pdb', floor: 2, expected: 3 };
    const stuck = { deployment: 'api', budgets: ['api-pdb'], budget: 'api-pdb', floor: 2, expected: 2 };
    expect(drainBlockers([shared, stuck])).toBe(`${sharedBudgets([shared])}. PodDisruptionBudget api-pdb (api: 2 of 2 must stay) allows no voluntary disruption: no drain of a node running its pods can finish`);
    expect(drainBlockers([{ ...stuck, budget: 'api-pdb', floor: 1 }])).toBeUndefined();
  });
});

describe('stray budgets: a budget that selects nothing', () => {
  const typo = budget('web-pdb', { matchLabels: { app: 'wbe' } }, { minAvailable: 1 });

  it('is one that matches no pod and no deployment pod template', () => {
    const deployments = [deployment('web', web, 2)];
    const pods = [pod('web-1', web)];
    expect(strayBudgets([typo, budget('front-pdb', { matchLabels: { tier: 'front' } }, { minAvailable: 1 })], deployments, pods).map((b) => b.metadata?.name)).toEqual(['web-pdb']);
  });

  it('is not one whose deployment is scaled to zero, nor one that selects pods no deployment owns', () => {
    const forScaledDown = budget('web-pdb', { matchLabels: { app: 'web' } }, { minAvailable: 1 });
    const forStatefulSet = budget('db-pdb', { matchLabels: { app: 'db' } }, { minAvailable: 1 });
    expect(strayBudgets([forScaledDown, forStatefulSet], [deployment('web', web, 0)], [pod('db-0', { app: 'db' })])).toEqual([]);
  });

  it('names the budget and its selector as kubectl writes it, and says to fix it', () => {
    const expressions = budget(
      'api-pdb',
      {
        matchLabels: { app: 'api' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['bakc', 'front'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
      { minAvailable: 1 },
    );
    expect(strayNote([typo, expressions])).toBe(
      "PodDisruptionBudget web-pdb selects app=wbe, which matches no pod and no deployment's pod template: fix its selector; " +
        "PodDisruptionBudget api-pdb selects app=api,tier in (bakc,front),!canary, which matches no pod and no deployment's pod template: fix its selector",
    );
    // policy/v1: a null selector selects no pod.
    expect(strayNote([budget('bare-pdb', undefined, { minAvailable: 1 })])).toBe('PodDisruptionBudget bare-pdb has no selector, so it matches no pod: give it one');
    expect(strayNote([])).toBeUndefined();
  });

  it('explains an uncovered deployment, and only an uncovered one', () => {
    expect(uncoveredNote(['web'], [typo])).toBe("no PodDisruptionBudget covers web; PodDisruptionBudget web-pdb selects app=wbe, which matches no pod and no deployment's pod template: fix its selector");
    expect(uncoveredNote(['web', 'api'], [], ': evictions may take every pod at once')).toBe('no PodDisruptionBudget covers web, api: evictions may take every pod at once');
    expect(uncoveredNote([], [typo])).toBeUndefined();
  });

  it('selectorText writes Exists and NotIn as kubectl does', () => {
    expect(
      selectorText({
        matchExpressions: [
          { key: 'tier', operator: 'NotIn', values: ['back'] },
          { key: 'team', operator: 'Exists' },
        ],
      }),
    ).toBe('tier notin (back),team');
  });
});

describe('the pdb-held monitor over watched budgets', () => {
  beforeEach(() => {
    cluster.onPod = undefined;
  });

  async function start(params: object = {}) {
    const bus = new EventBus();
    const disruptions = new DisruptionTracker({ bus });
    const ctx = {
      runId: 'run',
      assertion: { name: 'pdb-held', type: 'pdb-held', params },
      namespace: 'shop',
      signal: new AbortController().signal,
      bus,
      kube: {},
      kubeConfig: {},
      disruptions,
      cleanup: {},
      sample: () => {},
    } as unknown as AssertionContext;
    const monitor = await pdbHeld.start(ctx, pdbHeld.params.parse(params));
    /** A drain begins on a node: the voluntary disruption budgets judge. */
    const drainBegins = (faultId: string) => {
      disruptions.faultStarted(faultId, 'spot-drain');
      disruptions.report(faultId, 'spot-drain', { kind: 'evictions-begin', nodes: ['worker'], message: 'aws notice on worker' });
    };
    return { monitor, drainBegins };
  }
  const window = (id: string) => ({ id, start: 0, end: Date.now() + 60_000 });

  it('a budget whose selector has a typo: names it and its selector at steady state and in the window', async () => {
    cluster.deployments = [deployment('web', web, 2), deployment('api', api, 2)];
    cluster.pdbs = [budget('web-pdb', { matchLabels: { app: 'wbe' } }, { minAvailable: 1 }), budget('api-pdb', { matchLabels: { app: 'api' } }, { minAvailable: 1 })];
    cluster.pods = [pod('web-1', web), pod('web-2', web), pod('api-1', api), pod('api-2', api)];
    const { monitor } = await start();
    const stray = "PodDisruptionBudget web-pdb selects app=wbe, which matches no pod and no deployment's pod template: fix its selector";

    expect(await monitor.steadyState!(new AbortController().signal)).toEqual({ status: 'passed', message: `1 of 2 deployments have a PodDisruptionBudget; no PodDisruptionBudget covers web; ${stray}` });
    const verdict = await monitor.judgeWindow!(window('reclaim'));
    expect(verdict.status).toBe('failed');
    expect(verdict.message).toBe(`no PodDisruptionBudget covers web: evictions may take every pod at once; ${stray}.`);
    await monitor.stop();
  });

  it('a deployment under two budgets: named with both at steady state and in the drain window, and judged against the strictest', async () => {
    cluster.deployments = [deployment('web', web, 3)];
    // web-pdb lets two go; front-pdb only one. Listed first, web-pdb must not hide front-pdb.
    cluster.pdbs = [budget('web-pdb', { matchLabels: { app: 'web' } }, { minAvailable: 1 }), budget('front-pdb', { matchLabels: { tier: 'front' } }, { maxUnavailable: 1 })];
    cluster.pods = [pod('web-1', web), pod('web-2', web), pod('web-3', web)];
    const { monitor, drainBegins } = await start();
    const shared = 'web is under 2 PodDisruptionBudgets (web-pdb, front-pdb): the Eviction API refuses to evict its pods';

    const steady = await monitor.steadyState!(new AbortController().signal);
    expect(steady.message).toContain(shared);

    drainBegins('reclaim');
    cluster.pods = [pod('web-1', web), pod('web-2', web), pod('web-3', web, false)];
    cluster.podsChanged();
    cluster.pods = [pod('web-1', web), pod('web-2', web, false), pod('web-3', web, false)];
    cluster.podsChanged();

    const verdict = await monitor.judgeWindow!(window('reclaim'));
    expect(verdict.status).toBe('failed');
    expect(verdict.message).toMatch(/^web fell to 1 healthy pod while evictions ran \(floor 2, PDB front-pdb\)\. /);
    expect(verdict.message).toContain(shared);
    expect(verdict.details).toMatchObject({ violations: [{ deployment: 'web', healthy: 1, floor: 2, budget: 'front-pdb' }] });
    await monitor.stop();
  });

  it("holds the floor when an HPA scales out mid-drain, and lowers it with a scale-down, as the budget's own desiredHealthy follows the scale", async () => {
    const pods = (healthy: number, total: number) => Array.from({ length: total }, (_, i) => pod(`web-${i + 1}`, web, i < healthy));
    cluster.deployments = [deployment('web', web, 7)];
    cluster.pdbs = [budget('web', { matchLabels: { app: 'web' } }, { minAvailable: '50%' })];
    cluster.pods = pods(7, 7);
    const { monitor, drainBegins } = await start();
    drainBegins('upgrade');
    // Evictions take it to the floor of 7 at 50%: 4.
    cluster.pods = pods(4, 7);
    cluster.podsChanged();
    // Scaled out to 9: the new pods are not ready yet, and the floor stays 4, not 5.
    cluster.deployments = [deployment('web', web, 9)];
    cluster.pods = pods(4, 9);
    cluster.podsChanged();
    // Scaled down to 3 (seen in a v1.34 to v1.35 rehearsal): 2 healthy meet the budget's floor of 2.
    cluster.deployments = [deployment('web', web, 3)];
    cluster.pods = pods(2, 3);
    cluster.podsChanged();
    expect((await monitor.judgeWindow!(window('upgrade'))).status).toBe('passed');
    // Below that floor it fails, against the floor of the current scale.
    cluster.pods = pods(1, 3);
    cluster.podsChanged();
    const verdict = await monitor.judgeWindow!(window('upgrade'));
    expect(verdict.status).toBe('failed');
    expect(verdict.details).toMatchObject({ violations: [{ deployment: 'web', healthy: 1, floor: 2, budget: 'web' }] });
    await monitor.stop();
  });
});

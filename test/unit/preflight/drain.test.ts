// The rolling-drain simulation, case by case: budgets carried across nodes,
// room, tolerations, spread, and budgets the Eviction API cannot work with.
import { describe, expect, it } from 'vitest';
import { simulateRollingDrain, drainOrder, type DrainPlan } from '../../../src/preflight/drain.ts';
import { analyse } from '../../../src/preflight/report.ts';
import type { Snapshot } from '../../../src/preflight/model.ts';
import { budget, deployment, node, pod, snapshot } from './fixtures.ts';

const spot = { key: 'spot', value: 'true', effect: 'NoSchedule' } as const;
const dedicated = { key: 'dedicated', value: 'db', effect: 'NoSchedule' } as const;

function drainOf(plan: DrainPlan, name: string) {
  const drain = plan.nodes.find((n) => n.node === name);
  if (!drain) throw new Error(`no drain of ${name}`);
  return drain;
}

function eviction(plan: DrainPlan, nodeName: string, podKey: string) {
  const e = drainOf(plan, nodeName).evictions.find((x) => x.pod === podKey);
  if (!e) throw new Error(`${podKey} not evicted from ${nodeName}`);
  return e;
}

describe('drain order', () => {
  it('drains control-plane nodes first, then workers, each by name', () => {
    const order = drainOrder([node('w2'), node('cp2', { controlPlane: true }), node('w1'), node('cp1', { controlPlane: true })]).map((n) => n.name);
    expect(order).toEqual(['cp1', 'cp2', 'w1', 'w2']);
  });
});

describe('budgets carried across nodes', () => {
  // web: 2 replicas of 3 cpu on 4-cpu nodes a and b, budget maxUnavailable 1.
  // Node a carries a taint web does not tolerate (added after web-0 was scheduled).
  const cluster = (aTaints: (typeof dedicated)[]): Snapshot =>
    snapshot({
      nodes: [node('a', { taints: aTaints }), node('b')],
      pods: [pod('web-0', 'a', { cpu: 3 }), pod('web-1', 'b', { cpu: 3 })],
      budgets: [budget('web', { maxUnavailable: 1 })],
      workloads: [deployment('web', 2)],
    });

  it.each([
    { name: "node a's evicted pod cannot be placed anywhere, so b's drain blocks", aTaints: [dedicated], bBlocked: true },
    { name: "node a's evicted pod returns to a once a is back, so b drains", aTaints: [], bBlocked: false },
  ])('$name', ({ aTaints, bBlocked }) => {
    const plan = simulateRollingDrain(cluster(aTaints));
    // The first drain goes through either way: the budget allows one disruption.
    expect(drainOf(plan, 'a').blocked).toBe(false);
    expect(eviction(plan, 'a', 'shop/web-0')).toMatchObject({ outcome: 'evicted', budget: 'shop/web' });
    expect(eviction(plan, 'a', 'shop/web-0').unplaced).toMatch(/b: insufficient cpu: needs 3000m, 1000m free/);
    expect(drainOf(plan, 'b').blocked).toBe(bBlocked);
    const web1 = eviction(plan, 'b', 'shop/web-1');
    if (bBlocked) {
      expect(web1.outcome).toBe('refused');
      expect(web1.budget).toBe('shop/web');
      expect(web1.refusal).toContain('budget shop/web allows no disruption: evicting it would leave 0 healthy, and maxUnavailable 1 keeps 1 of 2');
      expect(web1.refusal).toContain('shop/web-0 Pending since node a drained (a: taint dedicated=db:NoSchedule not tolerated)');
    } else {
      // web-0 is back on a and Ready, so the budget lets web-1 go (to wait, Pending, for b's return: a has room for one).
      expect(drainOf(plan, 'b').placedBeforeDrain).toEqual([{ pod: 'shop/web-0', node: 'a' }]);
      expect(web1).toMatchObject({ outcome: 'evicted', budget: 'shop/web' });
      expect(plan.stillPending).toEqual([]);
    }
  });

  it('names the node, the pod and the budget in the blocker', () => {
    const report = analyse(cluster([dedicated]), { context: 'test' });
    const blocker = report.findings.find((f) => f.check === 'drain');
    expect(blocker).toMatchObject({ severity: 'blocker', node: 'b', object: 'Pod shop/web-1' });
    expect(blocker?.message).toMatch(/^the drain of node b blocks: evicting shop\/web-1 is refused: budget shop\/web/);
    expect(blocker?.fix).toMatch(/room/);
    expect(report.blockers).toBeGreaterThan(0);
  });

  it('lets a drain wait for a replacement it placed before the next eviction of the same budget', () => {
    // Two of three replicas on node a; minAvailable 50% of 3 leaves one disruption at a time.
    const plan = simulateRollingDrain(
      snapshot({
        nodes: [node('a'), node('b'), node('c')],
        pods: [pod('web-0', 'a'), pod('web-1', 'a'), pod('web-2', 'b')],
        budgets: [budget('web', { minAvailable: '50%' })],
        workloads: [deployment('web', 3)],
      }),
    );
    expect(drainOf(plan, 'a').blocked).toBe(false);
    expect(eviction(plan, 'a', 'shop/web-0').waitedFor).toBeUndefined();
    expect(eviction(plan, 'a', 'shop/web-1')).toMatchObject({ outcome: 'evicted', waitedFor: ['shop/web-0'] });
    expect(plan.nodes.every((n) => !n.blocked)).toBe(true);
  });
});

describe('room for evicted pods', () => {
  // A pool of two 4-cpu nodes (label pool=gpu); app pods of 3 cpu must run there. A general node has room but not the label.
  const pool = (placement: [string, string], filler: boolean) =>
    snapshot({
      nodes: [node('general', { cpu: 64 }), node('p1', { labels: { pool: 'gpu' } }), node('p2', { labels: { pool: 'gpu' } })],
      pods: [pod('app-0', placement[0], { cpu: 3, nodeSelector: { pool: 'gpu' } }), pod('app-1', placement[1], { cpu: 3, nodeSelector: { pool: 'gpu' } }), ...(filler ? [pod('batch-0', 'p2', { cpu: 3 })] : [])],
      budgets: [budget('app', { maxUnavailable: 1 })],
      workloads: [deployment('app', 2), deployment('batch', 1)],
    });

  it.each([
    { name: 'one replica per pool node: Pending while its node is out, back when it returns', placement: ['p1', 'p2'] as [string, string], filler: false, p1Blocked: false },
    { name: 'both replicas on a pool node, the other full: the second eviction waits on a pod with nowhere to go', placement: ['p1', 'p1'] as [string, string], filler: true, p1Blocked: true },
  ])('$name', ({ placement, filler, p1Blocked }) => {
    const plan = simulateRollingDrain(pool(placement, filler));
    const app0 = eviction(plan, 'p1', 'shop/app-0');
    expect(app0.unplaced).toBe('general: nodeSelector pool=gpu not matched; p2: insufficient cpu: needs 3000m, 1000m free');
    expect(drainOf(plan, 'p1').blocked).toBe(p1Blocked);
    if (p1Blocked) expect(eviction(plan, 'p1', 'shop/app-1').refusal).toContain('shop/app-0 Pending since node p1 drained (general: nodeSelector pool=gpu not matched; p2: insufficient cpu');
    expect(plan.stillPending).toEqual([]);
  });

  it.each([
    { name: 'without a toleration the spot node is closed to it', tolerations: [], placedOn: undefined },
    { name: 'a toleration for the spot taint makes room', tolerations: [{ key: 'spot', operator: 'Exists' as const }], placedOn: 'spot' },
  ])('$name', ({ tolerations, placedOn }) => {
    const plan = simulateRollingDrain(
      snapshot({
        nodes: [node('a'), node('b'), node('spot', { taints: [spot] })],
        pods: [pod('web-0', 'a', { cpu: 3, tolerations }), pod('filler-0', 'b', { cpu: 3 })],
        workloads: [deployment('web', 1), deployment('filler', 1)],
      }),
    );
    const web0 = eviction(plan, 'a', 'shop/web-0');
    expect(web0.placedOn).toBe(placedOn);
    if (!placedOn) expect(web0.unplaced).toBe('b: insufficient cpu: needs 3000m, 1000m free; spot: taint spot=true:NoSchedule not tolerated');
  });
});

describe('topology spread', () => {
  const spread = (whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway', maxSkew: number) => [{ maxSkew, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable, labelSelector: { matchLabels: { app: 'web' } } }];
  const cluster = (constraints: ReturnType<typeof spread>) =>
    snapshot({
      nodes: [node('a'), node('b'), node('c')],
      pods: ['a', 'b', 'c'].map((n, i) => pod(`web-${i}`, n, { spread: constraints })),
      workloads: [deployment('web', 3)],
    });

  it.each([
    // The drained node still counts as a domain (nodeTaintsPolicy Ignore), with 0 pods: b and c would reach skew 2.
    { name: 'DoNotSchedule, maxSkew 1 forbids every placement while a is out', constraints: spread('DoNotSchedule', 1), placed: false },
    { name: 'DoNotSchedule, maxSkew 2 allows one more on a node', constraints: spread('DoNotSchedule', 2), placed: true },
    { name: 'ScheduleAnyway never keeps a pod off a node', constraints: spread('ScheduleAnyway', 1), placed: true },
  ])('$name', ({ constraints, placed }) => {
    const plan = simulateRollingDrain(cluster(constraints));
    const web0 = eviction(plan, 'a', 'shop/web-0');
    expect(web0.placedOn !== undefined).toBe(placed);
    if (!placed) expect(web0.unplaced).toBe('b, c: topology spread on kubernetes.io/hostname: skew would be 2, maxSkew 1 (DoNotSchedule)');
    // Once a is back, its pod lands there again before b drains.
    if (!placed) expect(drainOf(plan, 'b').placedBeforeDrain).toEqual([{ pod: 'shop/web-0', node: 'a' }]);
  });

  it('keeps a pod away from a node whose pod has required anti-affinity against it', () => {
    const anti = [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }];
    const plan = simulateRollingDrain(
      snapshot({
        nodes: [node('a'), node('b'), node('c')],
        pods: [pod('db-0', 'a', { antiAffinity: anti }), pod('db-1', 'b', { antiAffinity: anti }), pod('cache-0', 'c')],
        workloads: [deployment('db', 2), deployment('cache', 1)],
      }),
    );
    expect(eviction(plan, 'a', 'shop/db-0').placedOn).toBe('c');
  });
});

describe('budgets the Eviction API cannot work with', () => {
  it('refuses a pod under two budgets, on every node that holds one', () => {
    const report = analyse(
      snapshot({
        nodes: [node('a'), node('b')],
        pods: [pod('web-0', 'a', { labels: { app: 'web', tier: 'front' } }), pod('web-1', 'b', { labels: { app: 'web', tier: 'front' } })],
        budgets: [budget('web', { maxUnavailable: 1 }), budget('front', { selector: { matchLabels: { tier: 'front' } }, maxUnavailable: 1 })],
        workloads: [deployment('web', 2)],
      }),
      { context: 'test' },
    );
    const refused = report.drain.nodes.flatMap((n) => n.evictions.filter((e) => e.outcome === 'refused').map((e) => [n.node, e.cause]));
    expect(refused).toEqual([
      ['a', 'two-budgets'],
      ['b', 'two-budgets'],
    ]);
    expect(report.drain.nodes[0]!.evictions[0]!.refusal).toBe('it is under 2 budgets (shop/web, shop/front); the Eviction API refuses a pod under more than one');
    const risk = report.findings.find((f) => f.check === 'pod-under-two-budgets');
    expect(risk).toMatchObject({ severity: 'blocker', fix: 'make the budgets select disjoint pods, one budget per workload' });
    expect(risk?.message).toContain('shop/web-0, shop/web-1 are under budgets shop/front and shop/web');
  });

  it('reports a budget that selects nothing as a warning, not a blocker', () => {
    const report = analyse(
      snapshot({
        nodes: [node('a'), node('b')],
        pods: [pod('web-0', 'a'), pod('web-1', 'b')],
        budgets: [budget('web', { maxUnavailable: 1 }), budget('typo', { app: 'wbe', maxUnavailable: 1 }), budget('bare', { selector: null, minAvailable: 1 })],
        workloads: [deployment('web', 2)],
      }),
      { context: 'test' },
    );
    expect(report.blockers).toBe(0);
    expect(report.findings.filter((f) => f.check === 'budget-selects-nothing').map((f) => [f.object, f.severity, f.message])).toEqual([
      ['PodDisruptionBudget shop/typo', 'warning', 'its selector matches no pod in its namespace: it protects nothing'],
      ['PodDisruptionBudget shop/bare', 'warning', 'it has no selector, which in policy/v1 selects no pod: it protects nothing'],
    ]);
  });

  it('blocks on a budget with minAvailable equal to the replicas, and says it never allows a disruption', () => {
    const report = analyse(
      snapshot({
        nodes: [node('a'), node('b'), node('c')],
        pods: [pod('web-0', 'a'), pod('web-1', 'b'), pod('web-2', 'c')],
        budgets: [budget('web', { minAvailable: 3 })],
        workloads: [deployment('web', 3)],
      }),
      { context: 'test' },
    );
    expect(report.drain.nodes.map((n) => n.blocked)).toEqual([true, true, true]);
    const never = report.findings.find((f) => f.check === 'budget-never-allows');
    expect(never).toMatchObject({ severity: 'blocker', object: 'PodDisruptionBudget shop/web', fix: 'allow one disruption: maxUnavailable: 1, or minAvailable: 2' });
    expect(never?.message).toBe('it can never allow a disruption: minAvailable 3 with 3 pods expected means 3 must stay healthy, so the drain of every node holding one of its pods blocks');
  });
});

describe('what a drain leaves and what it loses', () => {
  it('skips DaemonSet and mirror pods; a pod with no controller is not recreated', () => {
    const ds = { ...pod('proxy-x', 'a', { kind: 'DaemonSet' }), controller: { kind: 'DaemonSet', name: 'proxy' } };
    const mirror = { ...pod('etcd-a', 'a', { workload: null }), mirror: true };
    const bare = pod('debug', 'a', { workload: null });
    const plan = simulateRollingDrain(snapshot({ nodes: [node('a'), node('b')], pods: [ds, mirror, bare] }));
    expect(drainOf(plan, 'a').left).toBe(2);
    expect(drainOf(plan, 'a').evictions).toEqual([{ pod: 'shop/debug', outcome: 'evicted', notRecreated: true }]);
  });

  it('counts a pod that was not Ready as costing its budget nothing', () => {
    const plan = simulateRollingDrain(
      snapshot({
        nodes: [node('a'), node('b')],
        pods: [pod('web-0', 'a', { ready: false }), pod('web-1', 'b'), pod('web-2', 'b')],
        budgets: [budget('web', { minAvailable: 2 })],
        workloads: [deployment('web', 3)],
      }),
    );
    expect(eviction(plan, 'a', 'shop/web-0').outcome).toBe('evicted');
  });
});

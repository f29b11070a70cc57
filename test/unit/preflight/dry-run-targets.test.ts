// Which dry-run evictions preflight sends: each node gets an eviction it
// makes and its first refused one, answered by one dry run per kind of pod,
// and the picks lean to kinds that answer for many nodes.
import { describe, expect, it } from 'vitest';
import type { DrainPlan, Eviction, NodeDrain } from '../../../src/preflight/drain.ts';
import { dryRunTargets } from '../../../src/preflight/dry-run-targets.ts';
import { pod } from './fixtures.ts';

const evicted = (p: string, budget?: string): Eviction => ({ pod: `shop/${p}`, outcome: 'evicted', ...(budget && { budget }) });
const refused = (p: string, budget: string): Eviction => ({ pod: `shop/${p}`, outcome: 'refused', budget, cause: 'budget', refusal: 'no disruption allowed' });
const drained = (node: string, evictions: Eviction[]): NodeDrain => ({ node, role: 'worker', schedulable: true, placedBeforeDrain: [], evictions, left: 0, blocked: evictions.some((e) => e.outcome === 'refused') });
const plan = (...nodes: NodeDrain[]): DrainPlan => ({ nodes, stillPending: [] });

describe('dryRunTargets', () => {
  it('answers every node with one dry run of the kind they all run, not one per node', () => {
    const pods = [pod('a-0', 'n1'), pod('b-0', 'n1'), pod('b-1', 'n2'), pod('c-0', 'n2'), pod('a-1', 'n3'), pod('b-2', 'n3')];
    const { targets, asked } = dryRunTargets(plan(drained('n1', [evicted('a-0'), evicted('b-0')]), drained('n2', [evicted('c-0'), evicted('b-1')]), drained('n3', [evicted('a-1'), evicted('b-2')])), pods);
    expect(asked).toEqual(['shop/b-0']);
    expect(targets).toEqual([
      { node: 'n1', pod: 'shop/b-0', askedFor: 'shop/b-0' },
      { node: 'n2', pod: 'shop/b-1', askedFor: 'shop/b-0' },
      { node: 'n3', pod: 'shop/b-2', askedFor: 'shop/b-0' },
    ]);
  });

  it('asks again where health, budget or owner differ, and for every pod without a controller', () => {
    const pods = [pod('web-0', 'n1'), pod('web-1', 'n2', { ready: false }), pod('web-2', 'n3'), pod('solo', 'n4', { workload: null }), pod('solo2', 'n5', { workload: null })];
    const { asked } = dryRunTargets(plan(drained('n1', [evicted('web-0', 'web')]), drained('n2', [evicted('web-1', 'web')]), drained('n3', [evicted('web-2', 'other')]), drained('n4', [evicted('solo')]), drained('n5', [evicted('solo2')])), pods);
    expect(asked).toEqual(['shop/web-0', 'shop/web-1', 'shop/web-2', 'shop/solo', 'shop/solo2']);
  });

  it("adds each node's first refused eviction, answered by its kind when that was asked already", () => {
    const pods = [pod('api-0', 'n1'), pod('web-0', 'n1'), pod('api-1', 'n2'), pod('web-1', 'n2')];
    const { targets, asked } = dryRunTargets(plan(drained('n1', [evicted('api-0'), refused('web-0', 'web')]), drained('n2', [refused('web-1', 'web'), evicted('api-1')])), pods);
    expect(asked).toEqual(['shop/api-0', 'shop/web-0']);
    expect(targets).toEqual([
      { node: 'n1', pod: 'shop/api-0', askedFor: 'shop/api-0' },
      { node: 'n1', pod: 'shop/web-0', askedFor: 'shop/web-0' },
      { node: 'n2', pod: 'shop/api-1', askedFor: 'shop/api-0' },
      { node: 'n2', pod: 'shop/web-1', askedFor: 'shop/web-0' },
    ]);
  });

  it('leaves out pods an earlier drain moved onto the node: the API server sees them where they are now', () => {
    const pods = [pod('a-0', 'n1'), pod('b-0', 'n2')];
    const { targets } = dryRunTargets(plan(drained('n1', [evicted('a-0')]), drained('n2', [evicted('a-0'), evicted('b-0')])), pods);
    expect(targets.filter((t) => t.node === 'n2').map((t) => t.pod)).toEqual(['shop/b-0']);
  });
});

import { describe, expect, it } from 'vitest';
import { compare, lossyBlocksUnknown, verdict } from '../../../src/assertions/netpol-isolated/compare.ts';
import { freshBlocks, settleBlocks } from '../../../src/assertions/netpol-isolated/settle.ts';
import type { ReachabilityCell } from '../../../src/netpol/model.ts';
import type { ProbeCell } from '../../../src/netpol/probe.ts';

const expected: ReachabilityCell[] = [
  { from: 's/frontend', to: 's/backend', port: 8080, protocol: 'TCP', allowed: true },
  { from: 's/old', to: 's/backend', port: 8080, protocol: 'TCP', allowed: true },
  { from: 's/backend', to: 's/frontend', port: 8080, protocol: 'TCP', allowed: false },
];
const cell = (from: string, to: string, result: ProbeCell['result']): ProbeCell => ({ from, to, port: 8080, result, ...(result === 'denied' && { detail: 'fail: connection refused' }) });

/** A clock that moves only when the code under test sleeps. */
function clock(start = 100_000) {
  let t = start;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('settling blocked cells of fresh pods', () => {
  it('re-probes a block into a pod Ready for less than the settle time, and counts it right once it goes through', async () => {
    const c = clock();
    // backend turned Ready 3 s ago; its rules arrive 4 s from now.
    const readyAt = c.now() - 3_000;
    const openAt = c.now() + 4_000;
    const asked: Array<Set<string>> = [];
    const before = compare(expected, [cell('s/frontend', 's/backend', 'denied'), cell('s/old', 's/backend', 'allowed'), cell('s/backend', 's/frontend', 'denied')]);
    expect(before.wrong).toHaveLength(1);
    const after = await settleBlocks(before, {
      settleMs: 15_000,
      readySince: (pod) => (pod === 's/backend' ? readyAt : c.now() - 600_000),
      reprobe: async (only) => {
        asked.push(only);
        return [cell('s/frontend', 's/backend', c.now() >= openAt ? 'allowed' : 'denied')];
      },
      ...c,
    });
    expect(asked.every((only) => only.size === 1 && only.has('s/frontend|s/backend|8080'))).toBe(true);
    expect(after.wrong).toEqual([]);
    expect(after.right).toBe(3);
    expect(after.settled).toEqual([{ from: 's/frontend', to: 's/backend', port: 8080, afterReadyMs: 7_000, after: 'ready' }]);
    const outcome = verdict(after);
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toContain('1 allowed cell was blocked until the CNI programmed a fresh pod (open 7.0 s after it turned Ready');
  });

  it('fails a block that outlasts the settle time', async () => {
    const c = clock();
    const readyAt = c.now() - 2_000;
    let probes = 0;
    const after = await settleBlocks(compare(expected, [cell('s/frontend', 's/backend', 'denied')]), {
      settleMs: 10_000,
      readySince: () => readyAt,
      reprobe: async () => {
        probes++;
        return [cell('s/frontend', 's/backend', 'denied')];
      },
      ...c,
    });
    expect(after.wrong).toHaveLength(1);
    expect(c.now()).toBe(readyAt + 10_000);
    expect(probes).toBe(4);
    expect(verdict(after).status).toBe('failed');
  });

  it('never waits on a block between pods Ready for longer than the settle time', async () => {
    const c = clock();
    let probes = 0;
    const after = await settleBlocks(compare(expected, [cell('s/frontend', 's/backend', 'denied')]), {
      settleMs: 15_000,
      readySince: () => c.now() - 16_000,
      reprobe: async () => {
        probes++;
        return [];
      },
      ...c,
    });
    expect(probes).toBe(0);
    expect(after.wrong).toHaveLength(1);
  });

  it('never gives an opening time, however fresh its pods: a denied connection that goes through is a breach', () => {
    const c = compare(expected, [cell('s/backend', 's/frontend', 'allowed')]);
    expect(freshBlocks(c.wrong, { readySince: () => Date.now(), nodeBackSince: () => Date.now(), settleMs: 15_000 }, Date.now()).size).toBe(0);
  });

  it('times a block from a pod whose node just came back from a cut, even when both pods have long been Ready', async () => {
    // The CI case: the backend turned Ready on another node during the partition; the frontend's node healed 2 s ago
    // and its agent, blind until then, programs the backend 6 s later.
    const c = clock();
    const healedAt = c.now() - 2_000;
    const openAt = c.now() + 6_000;
    const after = await settleBlocks(compare(expected, [cell('s/frontend', 's/backend', 'denied')]), {
      settleMs: 15_000,
      readySince: () => c.now() - 30_000,
      nodeBackSince: (pod) => (pod === 's/frontend' ? healedAt : undefined),
      reprobe: async () => [cell('s/frontend', 's/backend', c.now() >= openAt ? 'allowed' : 'denied')],
      ...c,
    });
    expect(after.wrong).toEqual([]);
    expect(after.settled).toEqual([{ from: 's/frontend', to: 's/backend', port: 8080, afterReadyMs: 8_000, after: 'node-back' }]);
    expect(verdict(after).message).toContain('open 8.0 s after its node came back from the fault');
  });

  it('still fails a block whose node came back longer than the settle time ago', async () => {
    const c = clock();
    let probes = 0;
    const after = await settleBlocks(compare(expected, [cell('s/frontend', 's/backend', 'denied')]), {
      settleMs: 15_000,
      readySince: () => c.now() - 60_000,
      nodeBackSince: () => c.now() - 20_000,
      reprobe: async () => {
        probes++;
        return [];
      },
      ...c,
    });
    expect(probes).toBe(0);
    expect(after.wrong).toHaveLength(1);
  });

  it('keeps the block when the re-probe cannot run (the pod went away)', async () => {
    const c = clock();
    const after = await settleBlocks(compare(expected, [cell('s/frontend', 's/backend', 'denied')]), {
      settleMs: 15_000,
      readySince: () => c.now(),
      reprobe: async () => [cell('s/frontend', 's/backend', 'unknown')],
      ...c,
    });
    expect(after.wrong).toHaveLength(1);
    expect(after.settled).toBeUndefined();
  });
});

describe('cells a fault is dropping packets of', () => {
  it('a blocked allowed cell touching a lossy pod is unknown, with the reason; an opening there stays wrong', () => {
    const c = compare(expected, [cell('s/frontend', 's/backend', 'denied'), cell('s/old', 's/backend', 'denied'), cell('s/backend', 's/frontend', 'allowed')]);
    expect(c.wrong).toHaveLength(3);
    const after = lossyBlocksUnknown(c, (pod) => pod === 's/backend', 'packets to or from it are being dropped by a fault');
    expect(after.wrong.map((w) => `${w.from}->${w.to}`)).toEqual(['s/backend->s/frontend']);
    expect(after.judged).toBe(1);
    expect(after.unknown).toBe(2);
    expect(after.unknownWhy).toEqual([{ why: 'packets to or from it are being dropped by a fault', cells: 2 }]);
    expect(verdict(after).status).toBe('failed');
  });
});

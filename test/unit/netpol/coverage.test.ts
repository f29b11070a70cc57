// Coverage of netpol-isolated: how many cells a window judged, and which
// Ready pods were never probed as a destination. Made-up matrices of pods on
// two nodes, probed fully or partly, as a node reboot would leave them.
import { describe, expect, it } from 'vitest';
import { compare, verdict } from '../../../src/assertions/netpol-isolated/compare.ts';
import { judgeCoverage, measurementCoverage, windowCoverage, type MeasurementCoverage, type NodeEvidence } from '../../../src/assertions/netpol-isolated/coverage.ts';
import type { ReachabilityCell } from '../../../src/netpol/model.ts';
import type { ProbeCell, ProbeTarget } from '../../../src/netpol/probe.ts';

const target = (key: string, node: string, extra: Partial<ProbeTarget> = {}): ProbeTarget => {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name, node, container: 'agent', ip: `10.0.0.${key.length}`, ports: [8080], ...extra };
};
const key = (t: ProbeTarget) => `${t.namespace}/${t.name}`;

/** 12 pods, six on each of w1 and w2: 132 ordered pairs on 8080. */
const twelve = (): ProbeTarget[] => Array.from({ length: 12 }, (_, i) => target(`shop/p${String(i).padStart(2, '0')}`, i < 6 ? 'w1' : 'w2'));

/** The engine's cells for these pods (self cells included, as the engine gives them): everything allowed. */
function expectation(targets: ProbeTarget[]): ReachabilityCell[] {
  return targets.flatMap((from) => targets.map((to) => ({ from: key(from), to: key(to), port: 8080, protocol: 'TCP' as const, allowed: true })));
}

/** What a probe run returns: every non-self cell to a port the destination declares, `judge` deciding which were judged. */
function probed(targets: ProbeTarget[], judge: (from: ProbeTarget, to: ProbeTarget) => boolean | string = () => true): ProbeCell[] {
  return targets.flatMap((from) =>
    targets
      .filter((to) => to !== from && to.ports.includes(8080))
      .map((to): ProbeCell => {
        const verdict = judge(from, to);
        return verdict === true ? { from: key(from), to: key(to), port: 8080, result: 'allowed' } : { from: key(from), to: key(to), port: 8080, result: 'unknown', detail: typeof verdict === 'string' ? verdict : 'probe did not run' };
      }),
  );
}

function measure(targets: ProbeTarget[], judge?: Parameters<typeof probed>[1], nodes: NodeEvidence = {}): MeasurementCoverage {
  return measurementCoverage(expectation(targets), probed(targets, judge), targets, nodes);
}

describe('coverage of one measurement', () => {
  it('a full matrix judges every cell and probes every Ready pod', () => {
    const out = judgeCoverage(windowCoverage([measure(twelve())]));
    expect(out.ok).toBe(true);
    expect(out.text).toBe('judged 132 of 132 cells (100%); every Ready pod probed as a destination');
    expect(out.details).toMatchObject({ judged: 132, expected: 132, share: 1, measurements: 1 });
  });

  it('fails the node-reboot case: 12 of 132 judged, Ready pods on the node that stayed up never probed', () => {
    const pods = twelve();
    // w2 rebooted: its pods are down. Of w1's, only p00 answered exec, and only towards three peers.
    for (const p of pods.slice(6)) p.unusable = 'node w2 is down';
    const judge = (from: ProbeTarget, to: ProbeTarget) => (from.name === 'p00' && ['p01', 'p02', 'p03'].includes(to.name)) || (to.name === 'p00' && from.node === 'w1' && from.name !== 'p05') || `exec in ${key(from)} failed: no answer within 6000 ms`;
    const cells = probed(pods, judge);
    expect(cells.filter((c) => c.result !== 'unknown')).toHaveLength(7);
    const out = judgeCoverage(windowCoverage([measurementCoverage(expectation(pods), cells, pods)]));
    expect(out.ok).toBe(false);
    expect(out.text).toBe('judged 7 of 132 cells (5%); 2 Ready pods never probed as a destination: shop/p04 (exec in shop/p00 failed: no answer within 6000 ms), shop/p05 (exec in shop/p00 failed: no answer within 6000 ms)');
    expect(out.details.unprobed).toEqual([
      { pod: 'shop/p04', why: 'exec in shop/p00 failed: no answer within 6000 ms' },
      { pod: 'shop/p05', why: 'exec in shop/p00 failed: no answer within 6000 ms' },
    ]);
  });

  it('owes nothing for pods that are not Ready, on a down node, or declare none of the probed ports', () => {
    const pods = [target('a/x', 'w1'), target('a/y', 'w1'), target('a/down', 'w2', { unusable: 'node w2 is down' }), target('a/starting', 'w1', { unusable: 'not ready' }), target('a/portless', 'w1', { ports: [] })];
    const m = measure(pods, (_from, to) => !to.unusable || `${key(to)}: ${to.unusable}`);
    expect([...m.owed.keys()].sort()).toEqual(['a/x', 'a/y']);
    const out = judgeCoverage(windowCoverage([m]));
    expect(out.ok).toBe(true);
    // 4 destinations with the port, 4 sources each; only the cells into x and y could be judged.
    expect(out.text).toBe('judged 8 of 16 cells (50%); every Ready pod probed as a destination');
  });

  it('leaves out self cells and cells the engine has no expectation for', () => {
    const pods = [target('a/x', 'w1'), target('a/y', 'w1')];
    const extra: ProbeCell[] = [
      { from: 'a/x', to: 'a/x', port: 8080, result: 'allowed' },
      { from: 'a/x', to: 'a/y', port: 9090, result: 'unknown' },
    ];
    const m = measurementCoverage(expectation(pods), [...probed(pods), ...extra], pods);
    expect(m.expected).toBe(2);
    expect(m.judged).toBe(2);
  });

  it('does not count pods on a node where no exec got an answer, and says so', () => {
    const pods = [target('a/x', 'w1'), target('a/y', 'w1'), target('a/z', 'w2')];
    const m = measure(pods, (from, to) => (from.node !== 'w2' && to.node !== 'w2') || 'a/z: node w2 looks unreachable', { unreachable: new Set(['w2']), failing: new Set(['w2']) });
    const out = judgeCoverage(windowCoverage([m]));
    expect(out.ok).toBe(true);
    expect(out.text).toBe('judged 2 of 6 cells (33%); every Ready pod probed as a destination; 1 pod on node w2 not counted (no exec there got an answer)');
    expect(out.details.excused).toEqual([{ pod: 'a/z', node: 'w2', why: 'no exec there got an answer' }]);
  });

  it('never rounds a missing cell up to 100%', () => {
    const pods = twelve();
    const out = judgeCoverage(windowCoverage([measure(pods, (from, to) => !(from.name === 'p00' && to.name === 'p01') || 'x')]));
    expect(out.text).toMatch(/^judged 131 of 132 cells \(99%\)/);
  });
});

describe('coverage of a window', () => {
  it("sums cells over the window's measurements, and counts a pod probed in any of them", () => {
    const pods = twelve();
    const first = measure(pods, (_from, to) => to.node === 'w1' || 'timed out');
    const second = measure(pods, (_from, to) => to.node === 'w2' || 'timed out');
    expect(judgeCoverage(windowCoverage([first])).ok).toBe(false);
    const both = judgeCoverage(windowCoverage([first, second]));
    expect(both.ok).toBe(true);
    expect(both.text).toBe('judged 132 of 264 cells (50%) over 2 probes; every Ready pod probed as a destination');
    expect(both.details.lowest).toEqual({ judged: 66, expected: 132 });
  });

  it('a full measurement does not make up for a thin one during the fault: the share is over all of them', () => {
    const pods = twelve();
    const thin = measure(pods, (from, to) => (from.name === 'p00' && to.node === 'w1') || (to.name === 'p00' && from.node === 'w2') || 'timed out');
    const full = measure(pods);
    const w = windowCoverage([thin, full]);
    expect(w).toMatchObject({ judged: 143, expected: 264, lowest: { judged: 11, expected: 132 } });
    expect(judgeCoverage(w).ok).toBe(true);
    expect(judgeCoverage(w, 0.9).text).toBe('judged 143 of 264 cells (54%) over 2 probes, below minCoverage 90%; every Ready pod probed as a destination');
  });

  it('a pod Ready in one measurement and down in the next still owes its probe when nothing failed on its node then', () => {
    const ready = [target('a/x', 'w1'), target('a/z', 'w1'), target('a/y', 'w2')];
    const first = measure(ready, (_from, to) => to.name !== 'y' || 'fail: connect: no route to host');
    const down = [target('a/x', 'w1'), target('a/z', 'w1'), target('a/y', 'w2', { unusable: 'node w2 is down' })];
    const second = measure(down, (_from, to) => to.name !== 'y' || 'a/y: node w2 is down', { down: new Set(['w2']) });
    expect(judgeCoverage(windowCoverage([second])).ok).toBe(true);
    const out = judgeCoverage(windowCoverage([first, second]));
    expect(out.ok).toBe(false);
    expect(out.details.unprobed).toEqual([{ pod: 'a/y', why: 'fail: connect: no route to host' }]);
  });

  it('the reason named is the latest one the pod was owed under', () => {
    const pods = [target('a/x', 'w1'), target('a/y', 'w2')];
    const first = measure(pods, (_from, to) => to.name === 'y' || 'exec in a/y failed: no answer within 6000 ms');
    const second = measure(pods, (_from, to) => to.name === 'y' || 'a/y: probe container shakedown-probe-1 ErrImageNeverPull');
    expect(windowCoverage([first, second]).unprobed).toEqual([{ pod: 'a/x', why: 'a/y: probe container shakedown-probe-1 ErrImageNeverPull' }]);
  });

  it('excuses a pod on a node a fault took down when execs there failed: the node went down before the fault said so', () => {
    // Seen on a worker reboot: the first probe ran before the fault reported the node stopped; some execs
    // on it still answered, the rest failed, and its probe pod's cells (mostly denials) became unknown.
    const pods = [target('a/x', 'w1'), target('probe/p1', 'w2'), target('a/y', 'w2')];
    const racing = measure(pods, (from, to) => (from.node === 'w1' && to.name === 'y') || (to.node === 'w1' && from.name === 'y') || `${key(to)}: node w2 looks unreachable`, { failing: new Set(['w2']) });
    const down = pods.map((p) => (p.node === 'w2' ? { ...p, unusable: 'node w2 is down' } : p));
    const later = measure(down, (_from, to) => to.node === 'w1' || 'node w2 is down', { down: new Set(['w2']) });
    const out = judgeCoverage(windowCoverage([racing, later]));
    expect(out.ok).toBe(true);
    expect(out.text).toMatch(/; every Ready pod probed as a destination; 1 pod on node w2 not counted \(execs there failed, and a fault took it down in this window\)$/);
    // Only the judge-time measurement saw the node down: that is enough to know it was taken down.
    expect(windowCoverage([racing], later).excused).toEqual([{ pod: 'probe/p1', node: 'w2', why: 'execs there failed, and a fault took it down in this window' }]);
  });

  it('does not excuse failing execs on a node no fault took down: that is isolation left unchecked', () => {
    const pods = [target('a/x', 'w1'), target('a/y', 'w1'), target('a/z', 'w2')];
    // An overloaded API server: execs time out everywhere, some still answer.
    const m = measure(pods, (_from, to) => to.name === 'x' || 'exec in a/z failed: no answer within 6000 ms', { failing: new Set(['w1', 'w2']) });
    const out = windowCoverage([m]);
    expect(out.unprobed.map((u) => u.pod)).toEqual(['a/y', 'a/z']);
    expect(out.excused).toEqual([]);
  });

  it('a pod excused once but owed and never probed later is unprobed, not excused', () => {
    const pods = [target('a/x', 'w1'), target('a/z', 'w2')];
    const silent = measure(pods, () => 'timed out', { unreachable: new Set(['w2']) });
    const answered = measure(pods, (_from, to) => to.name === 'x' || 'refused by nobody');
    const out = windowCoverage([silent, answered]);
    expect(out.unprobed).toEqual([{ pod: 'a/z', why: 'refused by nobody' }]);
    expect(out.excused).toEqual([]);
  });

  it('minCoverage fails a window that judged less than that share, even with every Ready pod probed', () => {
    const pods = twelve();
    // Only the sources on w1 answered: every pod probed as a destination, 66 of 132 cells judged.
    const w = windowCoverage([measure(pods, (from) => from.node === 'w1' || 'timed out')]);
    expect(judgeCoverage(w).ok).toBe(true);
    expect(judgeCoverage(w, 0.5).ok).toBe(true);
    const short = judgeCoverage(w, 0.9);
    expect(short.ok).toBe(false);
    expect(short.text).toBe('judged 66 of 132 cells (50%), below minCoverage 90%; every Ready pod probed as a destination');
    expect(short.details).toMatchObject({ minCoverage: 0.9, share: 0.5 });
  });

  it('names at most five unprobed pods, then says how many more', () => {
    const pods = twelve();
    const w = windowCoverage([measure(pods, (_from, to) => to.name === 'p00' || 'timed out')]);
    expect(w.unprobed).toHaveLength(11);
    expect(judgeCoverage(w).text).toMatch(/; 11 Ready pods never probed as a destination: (shop\/p\d\d \(timed out\), ){4}shop\/p05 \(timed out\), and 6 more$/);
  });
});

describe('coverage in the verdict', () => {
  const pods = twelve();
  const cells = expectation(pods);

  it('a window whose judged cells all agree still fails when coverage falls short, saying why first', () => {
    const judge = (_from: ProbeTarget, to: ProbeTarget) => to.node === 'w1' || 'exec failed: no answer';
    const actual = probed(pods, judge);
    const coverage = judgeCoverage(windowCoverage([measurementCoverage(cells, actual, pods)]));
    const out = verdict(compare(cells, actual), 'worst of 3 probes (20 s into reboot)', [], coverage);
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/^worst of 3 probes \(20 s into reboot\): too little probed to vouch for isolation: judged 66 of 132 cells \(50%\); 6 Ready pods never probed as a destination: /);
    expect(out.message).toMatch(/; the 66 judged cells are as the policies say \(66 allowed, 0 denied\); 66 cells unknown, not judged \(exec failed: no answer: 66\)$/);
    expect(out.details?.coverage).toMatchObject({ judged: 66, expected: 132 });
  });

  it('a passing verdict carries the coverage line', () => {
    const actual = probed(pods);
    const coverage = judgeCoverage(windowCoverage([measurementCoverage(cells, actual, pods)]));
    const out = verdict(compare(cells, actual), '', [], coverage);
    expect(out.status).toBe('passed');
    expect(out.message).toBe('all 132 cells as the policies say (132 allowed, 0 denied); judged 132 of 132 cells (100%); every Ready pod probed as a destination');
  });

  it('wrong cells stay the headline when coverage is short too', () => {
    const actual = probed(pods, (_from, to) => to.node === 'w1' || 'timed out').map((c): ProbeCell => (c.from === 'shop/p00' && c.to === 'shop/p01' ? { ...c, result: 'denied', detail: 'fail: i/o timeout' } : c));
    const coverage = judgeCoverage(windowCoverage([measurementCoverage(cells, actual, pods)]));
    const out = verdict(compare(cells, actual), '', [], coverage);
    expect(out.message).toMatch(/^1 of 66 cells wrong: shop\/p00 -> shop\/p01:8080 denied but policy allows \(fail: i\/o timeout\); judged 66 of 132 cells \(50%\); 6 Ready pods never probed/);
  });
});

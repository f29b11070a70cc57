// The netpol-isolated verdict: expected cells from the engine over the
// sample stack's real policies, actual cells made up, so every message is
// checked without a cluster.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compare, enforcesNothing, verdict, worse } from '../../../src/assertions/netpol-isolated/compare.ts';
import { policyDrift } from '../../../src/assertions/netpol-isolated/drift.ts';
import { expectedReachability } from '../../../src/netpol/engine.ts';
import { parseManifests } from '../../../src/netpol/manifests.ts';
import type { Cluster, Pod, ReachabilityCell } from '../../../src/netpol/model.ts';
import type { ProbeCell, ProbeResult } from '../../../src/netpol/probe.ts';
import { sampleStack } from '../../../src/stack/sample.ts';

const NS = 'shakedown-stack';

function samplePolicies(): Cluster {
  const objects = sampleStack(NS, 'healthy').filter((o) => o.kind === 'NetworkPolicy' || o.kind === 'Namespace');
  return parseManifests(objects.map((o) => stringify(o)).join('---\n'), 'sample.yaml');
}

const http = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];
const pod = (key: string, labels: Record<string, string>): Pod => {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name, labels, ports: http, ip: `10.0.0.${key.length}` };
};

/** 3 frontends, 2 backends, a probe pod in each of two namespaces: 7 pods, 42 non-self cells. */
function world(): Cluster {
  const base = samplePolicies();
  return {
    namespaces: [...base.namespaces, { name: 'shakedown-probe-a', labels: {} }, { name: 'shakedown-probe-b', labels: {} }],
    policies: base.policies,
    pods: [
      pod(`${NS}/frontend-1`, { app: 'frontend' }),
      pod(`${NS}/frontend-2`, { app: 'frontend' }),
      pod(`${NS}/frontend-3`, { app: 'frontend' }),
      pod(`${NS}/backend-1`, { app: 'backend' }),
      pod(`${NS}/backend-2`, { app: 'backend' }),
      pod('shakedown-probe-a/p1', { app: 'shakedown-probe' }),
      pod('shakedown-probe-b/p1', { app: 'shakedown-probe' }),
    ],
  };
}

const expected = () => expectedReachability(world(), { ports: [8080], protocols: ['TCP'] });

/** What a probe run would return: the expectation, with some cells flipped or unknown. */
function probed(cells: ReachabilityCell[], override: (c: ReachabilityCell) => ProbeResult | undefined = () => undefined): ProbeCell[] {
  return cells.filter((c) => c.from !== c.to).map((c) => ({ from: c.from, to: c.to, port: c.port, result: override(c) ?? (c.allowed ? 'allowed' : 'denied'), detail: override(c) === 'denied' ? 'fail: dial tcp: i/o timeout' : undefined }));
}

const is = (c: ReachabilityCell, from: string, to: string) => c.from.includes(from) && c.to.includes(to);

describe('the expectation over the sample stack', () => {
  it('denies probe pods to the backend, allows them to the frontend, lets only frontends reach backends', () => {
    const cells = expected();
    const allowed = (from: string, to: string) => cells.find((c) => c.from === from && c.to === to)!.allowed;
    expect(allowed('shakedown-probe-a/p1', `${NS}/backend-1`)).toBe(false);
    expect(allowed('shakedown-probe-a/p1', `${NS}/frontend-1`)).toBe(true);
    expect(allowed('shakedown-probe-a/p1', 'shakedown-probe-b/p1')).toBe(true);
    expect(allowed(`${NS}/frontend-1`, `${NS}/backend-2`)).toBe(true);
    expect(allowed(`${NS}/backend-1`, `${NS}/frontend-1`)).toBe(false);
    expect(allowed(`${NS}/frontend-1`, 'shakedown-probe-a/p1')).toBe(false);
  });
});

describe('compare and verdict', () => {
  it('passes when every probed cell agrees, counting allowed and denied', () => {
    const c = compare(expected(), probed(expected()));
    expect(c.judged).toBe(42);
    expect(c.wrong).toEqual([]);
    const out = verdict(c);
    expect(out.status).toBe('passed');
    expect(out.message).toMatch(/^all 42 cells as the policies say \(\d+ allowed, \d+ denied\)$/);
    expect(out.details).toMatchObject({ right: 42, unknown: 0, wrong: [] });
  });

  it('names the wrong cells, both ways, openings first, with the count', () => {
    const cells = expected();
    const actual = probed(cells, (c) => (is(c, 'probe-a/p1', 'backend-1') ? 'allowed' : is(c, 'frontend-2', 'backend-2') ? 'denied' : undefined));
    const out = verdict(compare(cells, actual));
    expect(out.status).toBe('failed');
    expect(out.message).toBe(`2 of 42 cells wrong: shakedown-probe-a/p1 -> ${NS}/backend-1:8080 allowed but policy denies; ` + `${NS}/frontend-2 -> ${NS}/backend-2:8080 denied but policy allows (fail: dial tcp: i/o timeout)`);
    expect(out.details).toMatchObject({ right: 40, unknown: 0 });
    const wrong = (out.details as { wrong: Array<{ expected: string; actual: string; reason?: string }> }).wrong;
    expect(wrong.map((w) => `${w.expected}/${w.actual}`)).toEqual(['denied/allowed', 'allowed/denied']);
    expect(wrong[0]!.reason).toMatch(/ingress: denied/);
  });

  it('names at most five cells, then says how many more', () => {
    const cells = expected();
    // Every backend opened to the probes and to the other backend: 6 cells, but other denials still hold.
    const out = verdict(
      compare(
        cells,
        probed(cells, (c) => (c.to.includes('backend') && !c.from.includes('frontend') ? 'allowed' : undefined)),
      ),
    );
    expect(out.message).toMatch(/^6 of 42 cells wrong: /);
    expect(out.message.match(/allowed but policy denies/g)).toHaveLength(5);
    expect(out.message).toMatch(/; and 1 more$/);
  });

  it('leaves unknown cells out of the verdict, counting them with the reason', () => {
    const cells = expected();
    const actual = probed(cells).map((p): ProbeCell => (p.from.endsWith('backend-2') || p.to.endsWith('backend-2') ? { ...p, result: 'unknown', detail: `${NS}/backend-2: node w2 is down` } : p));
    const c = compare(cells, actual);
    expect(c.unknown).toBe(12);
    expect(c.judged).toBe(30);
    const out = verdict(c);
    expect(out.status).toBe('passed');
    expect(out.message).toContain(`12 cells unknown, not judged (${NS}/backend-2: node w2 is down: 12)`);
    expect(out.details).toMatchObject({ unknown: 12, right: 30 });
  });

  it('an unknown cell is never a denial, even where the policy allows', () => {
    const cells = expected();
    const c = compare(
      cells,
      probed(cells, (c) => (is(c, 'frontend-1', 'backend-1') ? 'unknown' : undefined)),
    );
    expect(c.wrong).toEqual([]);
    expect(c.unknown).toBe(1);
  });

  it('fails, not passes, when nothing could be probed', () => {
    const cells = expected();
    const out = verdict(
      compare(
        cells,
        probed(cells, () => 'unknown'),
      ),
    );
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/^no cell could be probed/);
  });

  it('says plainly that the CNI enforces nothing when every denied cell is open', () => {
    const cells = expected();
    const c = compare(
      cells,
      probed(cells, () => 'allowed'),
    );
    expect(enforcesNothing(c)).toBe(true);
    const out = verdict(c);
    expect(out.status).toBe('failed');
    expect(out.message).toBe(`the CNI enforces no NetworkPolicy: all ${c.expectedDenied} cells that policies deny were reachable`);
    expect(out.message).not.toContain('->');
  });

  it('does not call it "enforces nothing" when one denial held, or when too few cells are denied', () => {
    const cells = expected();
    const leaky = compare(
      cells,
      probed(cells, (c) => (!c.allowed && !is(c, 'backend-1', 'frontend-1') ? 'allowed' : undefined)),
    );
    expect(enforcesNothing(leaky)).toBe(false);
    expect(verdict(leaky).message).toMatch(/cells wrong: .*and \d+ more$/);
    // Two denied cells, both open: not enough to conclude anything about the CNI.
    const few = cells.filter((c) => c.allowed || is(c, 'probe-a', 'backend'));
    const small = compare(
      few,
      probed(few, () => 'allowed'),
    );
    expect(small.expectedDenied).toBe(2);
    expect(enforcesNothing(small)).toBe(false);
    expect(verdict(small).message).toMatch(/^2 of \d+ cells wrong/);
  });

  it('keeps the worse of two measurements', () => {
    const cells = expected();
    const good = compare(cells, probed(cells));
    const bad = compare(
      cells,
      probed(cells, (c) => (is(c, 'probe-b', 'backend-1') ? 'allowed' : undefined)),
    );
    expect(worse(good, bad)).toBe(bad);
    expect(worse(bad, good)).toBe(bad);
  });

  it('ignores self cells and cells the engine did not compute', () => {
    const cells = expected();
    const extra: ProbeCell[] = [
      { from: `${NS}/frontend-1`, to: `${NS}/frontend-1`, port: 8080, result: 'denied' },
      { from: `${NS}/frontend-1`, to: `${NS}/backend-1`, port: 9999, result: 'denied' },
    ];
    expect(compare(cells, [...probed(cells), ...extra]).judged).toBe(42);
  });
});

describe('policy drift', () => {
  it('names policies added, changed and removed since the steady state', () => {
    const before = samplePolicies().policies;
    const now = before.filter((p) => p.metadata.name !== 'allow-dns').map((p) => (p.metadata.name === 'default-deny' ? { ...p, spec: { ...p.spec, policyTypes: ['Ingress' as const] } } : p));
    now.push({ metadata: { namespace: NS, name: 'allow-all' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } });
    expect(policyDrift(before, before)).toEqual([]);
    expect(policyDrift(before, now)).toEqual([`added ${NS}/allow-all`, `changed ${NS}/default-deny`, `removed ${NS}/allow-dns`]);
  });

  it('puts the drift in the verdict, judged against the steady-state set', () => {
    const cells = expected();
    const out = verdict(
      compare(
        cells,
        probed(cells, (c) => (is(c, 'probe-a', 'backend-1') ? 'allowed' : undefined)),
      ),
      '',
      [`added ${NS}/allow-all`],
    );
    expect(out.message).toMatch(
      /^1 of 42 cells wrong: shakedown-probe-a\/p1 -> shakedown-stack\/backend-1:8080 allowed but policy denies; NetworkPolicies changed since the steady state \(judged against that set\): added shakedown-stack\/allow-all$/,
    );
    expect(out.details).toMatchObject({ policyDrift: [`added ${NS}/allow-all`] });
  });
});

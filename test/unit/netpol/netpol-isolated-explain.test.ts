// netpol-isolated's explanations: the expectation is the engine's over the
// sample stack's declared policies, the probes are made up, and each cause
// is told apart: live policies that differ from the declared ones, a CNI
// that lets through what the policies deny, a CNI that refuses what they
// allow. A wrong cell none of these accounts for leaves the cause unsaid.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compare, type Comparison } from '../../../src/assertions/netpol-isolated/compare.ts';
import type { CoverageVerdict } from '../../../src/assertions/netpol-isolated/coverage.ts';
import { driftEffects } from '../../../src/assertions/netpol-isolated/drift.ts';
import { explained, explainIsolation, type IsolationEvidence } from '../../../src/assertions/netpol-isolated/explain.ts';
import { policyEffect } from '../../../src/assertions/netpol-isolated/policy-text.ts';
import { expectedReachability } from '../../../src/netpol/engine.ts';
import { parseManifests } from '../../../src/netpol/manifests.ts';
import type { Cluster, NetworkPolicy, Pod, ReachabilityCell } from '../../../src/netpol/model.ts';
import type { ProbeCell, ProbeResult } from '../../../src/netpol/probe.ts';
import { sampleStack } from '../../../src/stack/sample.ts';

const NS = 'shakedown-stack';
const OPTIONS = { ports: [8080], protocols: ['TCP' as const] };

const declared = (): NetworkPolicy[] => {
  const objects = sampleStack(NS, 'healthy').filter((o) => o.kind === 'NetworkPolicy' || o.kind === 'Namespace');
  return parseManifests(objects.map((o) => stringify(o)).join('---\n'), 'sample.yaml').policies;
};
const ALLOW_ALL: NetworkPolicy = structuredClone(sampleStack(NS, 'allow-all').find((o) => o.metadata.name === 'allow-all')!) as never;

const http = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];
const pod = (key: string, labels: Record<string, string>): Pod => {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name, labels, ports: http, ip: `10.0.0.${key.length}` };
};

/** The sample stack's pods and a probe pod outside it, under these live policies. */
function cluster(policies: NetworkPolicy[]): Cluster {
  return {
    namespaces: [
      { name: NS, labels: {} },
      { name: 'shakedown-probe-a', labels: {} },
    ],
    policies,
    pods: [
      pod(`${NS}/frontend-1`, { app: 'frontend' }),
      pod(`${NS}/frontend-2`, { app: 'frontend' }),
      pod(`${NS}/backend-1`, { app: 'backend' }),
      pod(`${NS}/backend-2`, { app: 'backend' }),
      pod('shakedown-probe-a/p1', { app: 'shakedown-probe' }),
      pod('shakedown-probe-a/p2', { app: 'shakedown-probe' }),
    ],
  };
}

const expectation = (policies: NetworkPolicy[]) => expectedReachability(cluster(policies), OPTIONS);

/** Probes as a CNI would answer them: enforcing these cells, with some overridden. */
function probes(cells: ReachabilityCell[], override: (c: ReachabilityCell) => ProbeResult | undefined = () => undefined): ProbeCell[] {
  return cells.filter((c) => c.from !== c.to).map((c) => ({ from: c.from, to: c.to, port: c.port, result: override(c) ?? (c.allowed ? 'allowed' : 'denied') }));
}

/** The declared policies judged against a CNI that enforces `live`. */
function judged(live: NetworkPolicy[], override?: (c: ReachabilityCell) => ProbeResult | undefined, contract: IsolationEvidence['contract'] = 'declared'): IsolationEvidence {
  return { comparison: compare(expectation(declared()), probes(expectation(live), override)), drift: driftEffects(declared(), cluster(live), OPTIONS), contract };
}

const is = (c: { from: string; to: string }, from: string, to: string) => c.from.includes(from) && c.to.includes(to);
const without = (name: string) => declared().filter((p) => p.metadata.name !== name);

describe('a known cause names the object and field, and the one change', () => {
  const narrowed = declared().map((p) =>
    p.metadata.name === 'backend-from-frontend' ? { ...p, spec: { ...p.spec, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ port: 'http', protocol: 'TCP' as const }] }] } } : p,
  );

  it.each([
    {
      name: 'the allow-all variant: a policy not in the declared set opens what the design denies, and the CNI enforces it',
      evidence: judged([...declared(), ALLOW_ALL]),
      cause: `the live NetworkPolicies let through what the declared ones deny: NetworkPolicy ${NS}/allow-all (not in the declared set) selects every pod in ${NS} and allows all ingress, letting through 4 probed cells the declared policies deny`,
      fix: `delete NetworkPolicy ${NS}/allow-all, or narrow its ingress from: to the peers the design allows`,
    },
    {
      name: 'a declared policy gone from the cluster',
      evidence: judged(without('backend-from-frontend')),
      cause: `the live NetworkPolicies deny what the declared ones allow: NetworkPolicy ${NS}/backend-from-frontend of the declared set is gone from the cluster, refusing 4 probed cells the declared policies allow`,
      fix: `re-create NetworkPolicy ${NS}/backend-from-frontend from the stack's manifests`,
    },
    {
      name: 'a declared policy edited to deny what the stack needs',
      evidence: judged(narrowed),
      cause: `the live NetworkPolicies deny what the declared ones allow: NetworkPolicy ${NS}/backend-from-frontend (changed since the declared set) selects pods app=backend in ${NS} and allows ingress from pods app=gateway in ${NS} on port http, refusing 4 probed cells the declared policies allow`,
      fix: `restore the spec of NetworkPolicy ${NS}/backend-from-frontend from the stack's manifests`,
    },
    {
      name: 'a policy added since the steady state',
      evidence: judged([...declared(), ALLOW_ALL], undefined, 'steady-state'),
      cause: expect.stringContaining(`NetworkPolicy ${NS}/allow-all (not in the steady-state set) selects every pod in ${NS} and allows all ingress`),
      fix: `delete NetworkPolicy ${NS}/allow-all, or narrow its ingress from: to the peers the design allows`,
    },
    {
      name: 'a CNI that enforces no NetworkPolicy',
      evidence: judged(declared(), () => 'allowed'),
      cause: "the CNI let through what the policies deny: all 20 cells the NetworkPolicies deny were reachable, so the cluster's CNI enforces no NetworkPolicy",
      fix: 'run a CNI that enforces NetworkPolicy: cluster.cni: kube-router for kind here; calico or cilium elsewhere',
    },
    {
      name: "openings while the node's network agent restarted, counted",
      evidence: failingOpen(),
      cause: `the CNI let through what the policies deny while its network agent restarted (kube-router-abcde on w1 Ready for 3.2 s): shakedown-probe-a/p1 -> ${NS}/backend-1:8080; shakedown-probe-a/p2 -> ${NS}/backend-1:8080; it fails open until it has restored its rules`,
      fix: 'set agentRestart: report on this assertion to record such windows, or use a CNI that keeps its rules across restarts',
    },
  ])('$name', ({ evidence, cause, fix }) => {
    expect(explainIsolation(evidence)).toEqual({ cause, fix });
  });

  it('blocks the policies allow are the CNI refusing them: the cause, and no change shakedown could know', () => {
    const evidence = judged(declared(), (c) => (is(c, 'frontend-1', 'backend-1') ? 'denied' : undefined));
    expect(explainIsolation(evidence)).toEqual({ cause: `the CNI refused connections the policies allow: ${NS}/frontend-1 -> ${NS}/backend-1:8080 (allowed by ${NS}/frontend-to-backend, ${NS}/backend-from-frontend)` });
  });

  it('both kinds in one window are both said, each with its own words', () => {
    const evidence = judged([...declared(), ALLOW_ALL], (c) => (is(c, 'frontend-1', 'backend-1') ? 'denied' : undefined));
    const out = explainIsolation(evidence)!;
    expect(out.cause).toMatch(/^the live NetworkPolicies let through what the declared ones deny: .*; the CNI refused connections the policies allow: /);
    expect(out.fix).toBe(`delete NetworkPolicy ${NS}/allow-all, or narrow its ingress from: to the peers the design allows`);
  });

  it('too little probed: which Ready pods were never reached, and why', () => {
    const coverage: CoverageVerdict = {
      ok: false,
      text: '',
      details: {},
      unprobed: [
        { pod: `${NS}/backend-1`, why: 'node w1 is down' },
        { pod: `${NS}/backend-2`, why: 'node w1 is down' },
        { pod: `${NS}/frontend-1`, why: 'exec in p1 failed: timeout' },
      ],
    };
    expect(explainIsolation({ ...judged(declared()), coverage })).toEqual({ cause: `3 Ready pods were never probed as a destination: ${NS}/backend-1, ${NS}/backend-2 (node w1 is down); ${NS}/frontend-1 (exec in p1 failed: timeout)` });
  });

  it('nothing probed at all: why, from the probes', () => {
    const evidence = judged(declared(), () => 'unknown');
    evidence.comparison.unknownWhy = [{ why: 'not ready', cells: 20 }];
    expect(explainIsolation(evidence)).toEqual({ cause: 'no cell could be probed: not ready (20 cells)' });
  });
});

describe('an unknown cause says nothing more than the message', () => {
  it.each([
    { name: 'an opening no drift, agent restart or lack of enforcement accounts for', evidence: judged(declared(), (c) => (is(c, 'probe-a', 'backend-1') ? 'allowed' : undefined)) },
    { name: 'an explained block beside an unexplained opening', evidence: judged(declared(), (c) => (is(c, 'probe-a', 'backend-1') ? 'allowed' : is(c, 'frontend-1', 'backend-1') ? 'denied' : undefined)) },
    { name: 'a block no policy vouches for (probe pods are isolated by none)', evidence: judged(declared(), (c) => (is(c, 'probe-a/p1', 'probe-a/p2') ? 'denied' : undefined)) },
    { name: 'every cell as the policies say, enough of them probed', evidence: judged(declared()) },
  ])('$name', ({ evidence }) => {
    expect(explainIsolation(evidence)).toBeUndefined();
  });

  it('a verdict that passed carries no explanation, whatever the evidence', () => {
    expect(
      explained(
        { status: 'passed', message: 'all cells as the policies say' },
        judged(declared(), () => 'allowed'),
      ),
    ).toEqual({ status: 'passed', message: 'all cells as the policies say' });
  });
});

describe('a NetworkPolicy in words', () => {
  it.each([
    [ALLOW_ALL, `selects every pod in ${NS} and allows all ingress`],
    [declared().find((p) => p.metadata.name === 'default-deny')!, `selects every pod in ${NS} and denies all ingress and denies all egress`],
    [declared().find((p) => p.metadata.name === 'frontend-to-backend')!, `selects pods app=frontend in ${NS} and allows egress to pods app=backend in ${NS} on port 8080`],
    [
      { metadata: { namespace: NS, name: 'from-ops' }, spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { ipBlock: { cidr: '10.0.0.0/8', except: ['10.9.0.0/16'] } }] }] } },
      `selects every pod in ${NS} and allows ingress from every pod in namespaces team=ops, 10.0.0.0/8 except 10.9.0.0/16`,
    ],
  ])('%#: %s', (policy, text) => {
    expect(policyEffect(policy as NetworkPolicy)).toBe(text);
  });
});

/** The probe pods reached backend-1 while kube-router on backend-1's node had been Ready for 3.2 s. */
function failingOpen(): IsolationEvidence {
  const evidence = judged(declared(), (c) => (is(c, 'probe-a', 'backend-1') ? 'allowed' : undefined));
  const cells = evidence.comparison.wrong.map((w) => ({ ...w, node: 'w1', agent: 'kube-router-abcde', agentReadyMs: 3_200 }));
  const comparison: Comparison = { ...evidence.comparison, failOpen: { cells, counted: true } };
  return { ...evidence, comparison };
}

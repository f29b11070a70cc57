// The scenario tier: real runs of shakedown on the shared e2e cluster, under
// real k6 load. The healthy stack must pass; each broken variant must fail
// on the assertion that guards what was broken, with a readable message.
import { describe, expect, it } from 'vitest';
import { runOnSharedCluster, verdictOf } from './run-cli.ts';
import { must } from '../../src/tools/exec.ts';

describe('spot-drain on a real cluster under k6 load', () => {
  // The healthy spot drain and its no-PDB variant run twice each in suite.e2e.test.ts, judged there.
  it('gcp: the graceful shutdown deletes pods directly; the report says budgets could not apply, and availability judges the cost', () => {
    const { code, result } = runOnSharedCluster('test/e2e/scenarios/spot-drain-gcp.yaml');
    const drain = result.faults[0]!.details!.drain as Array<{ outcome: string }>;
    expect(drain.length).toBeGreaterThan(0);
    expect(drain.every((d) => d.outcome === 'deleted-by-shutdown')).toBe(true);
    // Budgets could not apply: nothing was judged as an eviction, and the report says why.
    const pdb = verdictOf(result, 'pdb-held', 'reclaim')!;
    expect(pdb.status).toBe('passed');
    expect(pdb.message).toMatch(/^no evictions to judge\./);
    expect(pdb.message).toContain('GCP graceful shutdown does not use the Eviction API: PodDisruptionBudgets do not apply');
    expect(pdb.message).toContain('availability risk');
    expect(pdb.details?.violations).toEqual([]);
    // The cost, judged under real load: the healthy stack (replicas spread across nodes) rides out
    // the shutdown (seen: passed, 1001 requests, p95 48 ms); a regression that drops requests,
    // stops the load or loses every replica at once fails here.
    const availability = verdictOf(result, 'availability', 'reclaim')!;
    expect(availability.status, availability.message).toBe('passed');
    expect(availability.message).toMatch(/^\d+ requests, [\d.]+% errors, p95 \d+ ms; worst 10s \(\d+-\d+ s into the window\): [\d.]+% errors of \d+ requests, p95 \d+ ms$/);
    expect(availability.details?.requests as number).toBeGreaterThan(300);
    expect(availability.details?.errorRate as number).toBeLessThanOrEqual(0.05);
    expect(code).toBe(0);
  });

  it('availability fails when the stack runs a single replica', () => {
    const { code, result } = runOnSharedCluster('test/e2e/scenarios/spot-drain-single-replica.yaml');
    expect(code).toBe(1);
    const availability = verdictOf(result, 'availability', 'reclaim')!;
    expect(availability.status).toBe('failed');
    expect(availability.message).toMatch(/error rate [\d.]+% \(\d+ of \d+ requests failed\) is above 5\.0%/);
    // Why, and what to change: the single replica named, with the field to raise.
    expect(availability.explanation?.cause, availability.message).toMatch(/Deployment shakedown-stack\/(backend|frontend) runs a single replica \(spec\.replicas 1\)/);
    expect(availability.explanation?.fix).toMatch(/^set spec\.replicas of Deployment shakedown-stack\/(backend|frontend) to at least 2/);
    // The budget blocked the drain, as it should: not a PDB failure, but named as the reason no drain can finish.
    const pdb = verdictOf(result, 'pdb-held', 'reclaim')!;
    expect(pdb.status).toBe('passed');
    expect(pdb.message).toMatch(/PodDisruptionBudgets? .*1 of 1 must stay.* no voluntary disruption: no drain of a node running (its|their) pods can finish/);
    // A failed run still undoes everything: the node back, the spare tainted again.
    expect(result.phases.find((p) => p.phase === 'teardown')?.status, result.error).toBe('passed');
  });

  it('recovered-within fails when the pods can never come back', () => {
    const { code, result } = runOnSharedCluster('test/e2e/scenarios/spot-drain-never-ready.yaml');
    expect(code).toBe(1);
    const recovery = verdictOf(result, 'recovered-within', 'recovery')!;
    expect(recovery.status).toBe('failed');
    // The HPA may have scaled the backend out meanwhile: judge against whatever it wants.
    expect(recovery.message).toMatch(/^not fully ready ([\d.]+s|1m(\d+s)?) after the faults ended( \(the recovery window ran out\))?: backend: \d+ of \d+ ready/);
    expect(recovery.message).toContain('unschedulable');
    // The pin no schedulable node satisfies is the cause; relaxing it (or labelling another node) the fix.
    expect(recovery.explanation?.cause, recovery.message).toMatch(/^Deployment backend's pods may only run on nodes matching its (required node affinity|nodeSelector)/);
    expect(recovery.explanation?.fix).toMatch(/^relax spec\.template\.spec\.(affinity\.nodeAffinity|nodeSelector) of Deployment backend .* or label another node/);
    // Time to recover runs from the disruptions themselves, and neither ended.
    const reclaim = verdictOf(result, 'recovered-within', 'reclaim')!;
    expect(reclaim.status).toBe('failed');
    expect(reclaim.message).toMatch(/^not recovered \S+ after the first eviction; not recovered \S+ after the node stopped \(deadline 30s\): backend: /);
  });
});

describe('pod-kill on a real cluster under k6 load', () => {
  it('passes on the healthy stack: the kills are absorbed and every pod comes back', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/pod-kill-short.yaml');
    expect(code, output).toBe(0);
    expect(result.faults[0]!.details!.killed).toHaveLength(3);
    // A healthy run explains nothing: there is nothing to fix.
    expect(result.assertions.filter((a) => a.explanation)).toEqual([]);
    expect(verdictOf(result, 'availability', 'kill-backend')?.status).toBe('passed');
  });
});

describe('a scenario aimed at nothing', () => {
  it('fails at steady state, before any fault, naming the load target and the selector that miss, and the names there are', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/aimed-at-nothing.yaml');
    expect(code, output).toBe(1);
    expect(output).toContain('steady state did not hold, so no fault was injected');
    expect(output).toContain('load.target.service: no Service frontnd in shakedown-stack; did you mean frontend?');
    expect(output).toContain('fault kill-backend (faults[0].params.selector): app=backnd matches no pod in shakedown-stack; did you mean app=backend?');
    expect(result.faults[0]!.state).toBe('scheduled');
  });
});

describe('a stack whose own policies shut the load out', () => {
  it("fails at steady state naming the policy, its selector and the rule to add, as the stack's design and not the CNI's", () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/load-denied.yaml');
    expect(code, output).toBe(1);
    expect(output).toContain('steady state did not hold, so no fault was injected');
    // The user's redeclaration is the one on the cluster, and the plan said so.
    expect(output).toMatch(/NetworkPolicy shakedown-stack\/frontend-ingress is declared in .* wins, as on the cluster/);
    expect(result.error).toMatch(
      /the policies deny what the stack needs: the load \(from outside the cluster\) to pods of Service shakedown-stack\/frontend on http\/TCP .* is denied: the ingress of pods of Service shakedown-stack\/frontend is isolated by .*shakedown-stack\/frontend-ingress \(podSelector \{app: frontend\}\).*, and no rule admits the load/,
    );
    expect(result.error).toContain('fix: add a NetworkPolicy in shakedown-stack with podSelector {app: frontend}, policyTypes [Ingress] and an ingress rule with no from (any source) on ports [{port: 8080, protocol: TCP}]');
    expect(result.error).not.toContain('CNI');
    expect(result.faults[0]!.state).toBe('scheduled');
  });
});

describe("a user's own stack, no sample", () => {
  it('makes the namespace, loads the image the manifests name, and passes a pod-kill under load', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/own-stack.yaml');
    expect(code, output).toBe(0);
    expect(result.phases.find((p) => p.phase === 'stack')?.status).toBe('passed');
    const logs = result.events.flatMap((e) => (e.kind === 'log' ? [e.message] : []));
    expect(logs).toContain('created namespace own-stack (Pod Security: restricted)');
    expect(logs).toContain('stack ready in namespace own-stack: web');
    expect(logs.filter((m) => m.includes('not in the local Docker engine'))).toEqual([]);
    // Its load path is open: nothing said about the policies.
    expect(logs.filter((m) => m.includes('the policies deny'))).toEqual([]);
    expect(result.faults[0]!.details!.killed).toHaveLength(2);
    expect(verdictOf(result, 'availability', 'kill-web')?.details?.requests as number).toBeGreaterThan(100);
    expect(result.assertions.filter((a) => a.status === 'failed')).toEqual([]);
  });
});

describe('a worker reboot: the node counts as back once it is Ready', () => {
  it('recovered-within measures from the reboot and passes; netpol-isolated probes every Ready pod once the node is back', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/node-restart-short.yaml');
    expect(code, output).toBe(0);
    const recovered = verdictOf(result, 'recovered-within', 'reboot')!;
    expect(recovered.status).toBe('passed');
    expect(recovered.message).toMatch(/^(recovered [\d.]+s after the node stopped|the node stopped: no ready replica lost)/);
    expect(recovered.details?.timeToRecoverMs as number).toBeLessThan(90_000);
    // The node came back during the run, not at teardown.
    expect(result.events.some((e) => e.kind === 'log' && /is Ready again, \d+ s after it went down/.test(e.message))).toBe(true);
    expect(verdictOf(result, 'recovered-within', 'recovery')?.status).toBe('passed');
    const after = verdictOf(result, 'netpol-isolated', 'recovery')!;
    expect(after.status, after.message).toBe('passed');
    // Nothing left unjudged for a node that is back: no cell unknown because its node was down or its
    // pods not yet confirmed by the new kubelet. (A replacement pod still starting is unknown, rightly:
    // seen once, two backends the kubelet re-admitted as Failed after the reboot, replaced, "no IP yet".)
    expect(after.message).not.toMatch(/is down/);
    const unknownWhy = (after.details?.unknownWhy as Array<{ why: string }> | undefined) ?? [];
    expect(unknownWhy.filter((u) => /is down|restarted|looks unreachable|exec in/.test(u.why))).toEqual([]);
    // Openings kube-router let through while its agent on the rebooted node restarted are recorded, named
    // with that node, and nothing else opened in the reboot window.
    const rebooted = result.events.map((e) => (e.kind === 'log' ? /^node (\S+) is Ready again/.exec(e.message)?.[1] : undefined)).find(Boolean);
    const during = verdictOf(result, 'netpol-isolated', 'reboot')!;
    expect(during.status, during.message).toBe('passed');
    const failOpen = (during.details?.failOpen as { cells: Array<{ node: string }>; counted: boolean } | undefined)?.cells ?? [];
    expect(failOpen.filter((c) => c.node !== rebooted)).toEqual([]);
  });
});

describe('NetworkPolicy isolation under chaos (kube-router)', () => {
  it('holds before, during a spot drain and a partition, and after', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/netpol-under-drain-short.yaml');
    expect(code, output).toBe(0);
    const windows = result.assertions.filter((a) => a.name === 'netpol-isolated');
    expect(windows.map((a) => `${a.window}:${a.status}`).sort()).toEqual(['cut:passed', 'reclaim:passed', 'recovery:passed', 'steady-state:passed']);
    expect(verdictOf(result, 'netpol-isolated', 'steady-state')?.message).toMatch(/all \d+ cells as the policies say/);
  });

  it('fails on an allow-all policy in the stack namespace, naming the cells that opened', () => {
    const { code, result } = runOnSharedCluster('test/e2e/scenarios/netpol-allow-all.yaml');
    expect(code).toBe(1);
    const verdict = verdictOf(result, 'netpol-isolated', 'steady-state')!;
    expect(verdict.status).toBe('failed');
    expect(verdict.message).toMatch(/\d+ of \d+ cells wrong: shakedown-probe-[ab]\/p1 -> shakedown-stack\/backend-[\w-]+:8080 allowed but policy denies/);
    // The stack's own policies let it through, not the CNI: the policy is named, and deleting it is the fix.
    expect(verdict.explanation?.cause, verdict.message).toMatch(/NetworkPolicy shakedown-stack\/allow-all \(not in the declared set\) selects every pod in shakedown-stack and allows all ingress/);
    expect(verdict.explanation?.fix).toMatch(/^delete NetworkPolicy shakedown-stack\/allow-all/);
  });
});

describe('autoscaling under load and pod kills (metrics-server built here)', () => {
  it('the backend HPA scales out within the deadline and back in after the load', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/autoscale-short.yaml');
    expect(code, output).toBe(0);
    const verdict = verdictOf(result, 'hpa-scaled', 'recovery')!;
    expect(verdict.message).toMatch(/scaled out to \d+ in .+, back to 3/);
    expect(result.series['hpa:backend:replicas']?.length).toBeGreaterThan(1);
    expect(result.series['cpu:backend']?.length).toBeGreaterThan(0);
  });

  it('fails when the backend has no CPU requests, saying why', () => {
    const { code, result } = runOnSharedCluster('test/e2e/scenarios/autoscale-no-requests.yaml');
    expect(code).toBe(1);
    const verdict = result.assertions.find((a) => a.name === 'hpa-scaled' && a.status === 'failed')!;
    expect(verdict.message).toMatch(/HPA backend cannot scale: FailedGetResourceMetric: .*missing request for cpu/);
    expect(verdict.explanation?.cause).toMatch(/^HPA backend scales on CPU utilization, a share of each container's CPU request, and container \S+ of Deployment backend requests no CPU/);
    expect(verdict.explanation?.fix).toMatch(/^set resources\.requests\.cpu on container \S+ of Deployment backend/);
  });
});

describe('packet loss under load (iptables statistic match, no netem)', () => {
  it('half the packets to and from the backends lost for 20 s: availability fails in the window, and every chain is gone after', async () => {
    const { code, result } = runOnSharedCluster('test/e2e/scenarios/packet-loss-short.yaml');
    expect(code).toBe(1);
    // Seen: 30.1% errors of 405 requests, p95 2001 ms.
    const availability = verdictOf(result, 'availability', 'lossy-backend')!;
    expect(availability.status).toBe('failed');
    expect(availability.details?.errorRate as number).toBeGreaterThan(0.05);
    expect(availability.explanation?.cause).toMatch(/^the fault was dropping \S+ of the packets to and from \d+ pods? matching app=backend \(Deployment shakedown-stack\/backend\)/);
    expect(availability.explanation?.fix).toMatch(/per-try timeout and a retry/);
    // Readiness probes lose packets too (seen: the backends fell to 0 of 3 ready mid-window, all back
    // a second after the loss ended); recovery is timed from the loss, within the 60 s deadline.
    expect(verdictOf(result, 'recovered-within', 'lossy-backend')?.status).toBe('passed');
    expect(verdictOf(result, 'recovered-within', 'recovery')?.status).toBe('passed');
    expect(result.faults[0]).toMatchObject({ state: 'reverted' });
    const nodes = result.faults[0]!.details!.nodes as string[];
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect((await must('docker', ['exec', node, 'iptables', '-w', '-t', 'mangle', '-S'])).includes('SHK-LOSS')).toBe(false);
  });
});

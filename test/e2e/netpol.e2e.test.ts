// netpol-isolated on a real cluster: the sample stack's policies, enforced by
// kube-router, agree with the engine cell by cell; an allow-all ingress
// policy added later opens cells, and the verdict names them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { netpolIsolated } from '../../src/assertions/netpol-isolated/index.ts';
import { PROBE_NAMESPACES } from '../../src/assertions/netpol-isolated/probe-pods.ts';
import type { AssertionMonitor, Outcome } from '../../src/assertions/types.ts';
import { KindCluster } from '../../src/clusters/kind/cluster.ts';
import { networkName } from '../../src/clusters/kind/provider.ts';
import { ensureImageInNodes } from '../../src/clusters/kind/load-images.ts';
import { agentImage, sampleStack } from '../../src/stack/sample.ts';
import { exec, must } from '../../src/tools/exec.ts';
import { assertionHarness } from './assertion-harness.ts';
import { E2E_CLUSTER } from './cluster-name.ts';

const kubeconfig = inject('kubeconfig');
const kubectl = (args: string[], input?: string) => must('kubectl', ['--kubeconfig', kubeconfig, ...args], input === undefined ? {} : { input });
const NS = 'e2e-netpol';
const ALLOW_ALL = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all', namespace: NS }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } };

/** Re-judges until `done` holds: kube-router applies a policy change within seconds, not at once. */
async function until(judge: () => Promise<Outcome>, done: (o: Outcome) => boolean, timeoutMs: number): Promise<Outcome> {
  const end = Date.now() + timeoutMs;
  let outcome = await judge();
  while (!done(outcome) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 2000));
    outcome = await judge();
  }
  return outcome;
}

describe('netpol-isolated against kube-router', () => {
  const { bus, controller, cleanup, context } = assertionHarness(kubeconfig, 'e2e-netpol');
  let monitor: AssertionMonitor;

  beforeAll(async () => {
    const cluster = new KindCluster({ provider: 'kind', name: E2E_CLUSTER, kubeconfig, network: networkName(E2E_CLUSTER), owned: true });
    const machines = await cluster.nodes.list();
    await ensureImageInNodes(
      agentImage(),
      machines.filter((m) => m.running).map((m) => m.name),
      bus,
    );
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
    // No NodePort: the load is not needed here, and 30080 may be held by another stack on the cluster.
    const objects = sampleStack(NS, 'healthy').map((o) => (o.kind === 'Service' ? { ...o, spec: { ...o.spec, type: 'ClusterIP', ports: o.spec.ports.map(({ nodePort: _, ...p }: Record<string, unknown>) => p) } } : o));
    await kubectl(['apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
    for (const d of ['backend', 'frontend']) await kubectl(['-n', NS, 'rollout', 'status', `deployment/${d}`, '--timeout=180s']);
    const started = Date.now();
    monitor = await netpolIsolated.start(context({ name: 'isolation', type: 'netpol-isolated', params: {} }, NS), netpolIsolated.params.parse({}));
    console.log(`[netpol] probe pods ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    controller.abort();
    await monitor?.stop();
    expect(await cleanup.unwind()).toEqual([]);
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
  });

  it('steady state: every probed cell is as the sample stack policies say', async () => {
    const started = Date.now();
    const outcome = await monitor.steadyState!(controller.signal);
    const seconds = (Date.now() - started) / 1000;
    console.log(`[netpol] steady state in ${seconds.toFixed(1)} s: ${outcome.status}: ${outcome.message} (details.probeSeconds ${outcome.details?.probeSeconds})`);
    expect(outcome.status, outcome.message).toBe('passed');
    // 3 frontends, 3 backends, 2 probe pods: 8 x 7 ordered pairs on 8080.
    expect(outcome.message).toMatch(/^all 56 cells as the policies say/);
    expect(outcome.details).toMatchObject({ unknown: 0, right: 56 });
  });

  it('an allow-all ingress policy added afterwards fails a fresh comparison, naming the cells it opened', async () => {
    await kubectl(['apply', '-f', '-'], stringify(ALLOW_ALL));
    const outcome = await until(
      () => monitor.recovery!(controller.signal, Date.now()),
      (o) => o.status === 'failed' && ((o.details?.wrong as unknown[] | undefined)?.length ?? 0) >= 6,
      60_000,
    );
    console.log(`[netpol] after allow-all: ${outcome.status}: ${outcome.message}`);
    expect(outcome.status).toBe('failed');
    // Probe pods -> every backend: 2 x 3 cells that the steady-state policies deny.
    expect(outcome.message).toMatch(/^after the faults: 6 of 56 cells wrong: shakedown-probe-a\/p1 -> e2e-netpol\/backend-\S+:8080 allowed but policy denies; /);
    expect(outcome.message).toMatch(/and 1 more; judged 56 of 56 cells \(100%\); every Ready pod probed as a destination; NetworkPolicies changed since the steady state \(judged against that set\): added e2e-netpol\/allow-all$/);
    const wrong = outcome.details?.wrong as Array<{ from: string; to: string; expected: string; actual: string }>;
    expect(wrong.every((w) => w.from.startsWith('shakedown-probe-') && w.to.startsWith(`${NS}/backend-`) && w.expected === 'denied' && w.actual === 'allowed')).toBe(true);
  });

  it('keeps the worst probe seen while a fault was active, then recovers once the policy is gone', async () => {
    const start = Date.now();
    const failing = new Promise<void>((resolve) => bus.on((e) => e.kind === 'assertion' && e.status === 'failing' && resolve()));
    bus.emit({ kind: 'fault', faultId: 'open-up', type: 'manual', state: 'injecting' });
    await failing;
    await kubectl(['-n', NS, 'delete', 'networkpolicy', 'allow-all']);
    bus.emit({ kind: 'fault', faultId: 'open-up', type: 'manual', state: 'reverted' });
    const window = await monitor.judgeWindow!({ id: 'open-up', start, end: Date.now(), faultType: 'manual' });
    console.log(`[netpol] window: ${window.status}: ${window.message}`);
    expect(window.status).toBe('failed');
    expect(window.message).toMatch(/^worst of \d+ probes \(\d+ s into open-up\): 6 of 56 cells wrong/);
    const after = await until(
      () => monitor.recovery!(controller.signal, Date.now()),
      (o) => o.status === 'passed',
      60_000,
    );
    console.log(`[netpol] after removing allow-all: ${after.status}: ${after.message}`);
    expect(after.status, after.message).toBe('passed');
  });

  it('stop() removes the probe namespaces', async () => {
    await monitor.stop();
    const left = await exec('kubectl', ['--kubeconfig', kubeconfig, 'get', 'namespace', ...PROBE_NAMESPACES, '--ignore-not-found', '-o', 'name']);
    expect(left.stdout.trim()).toBe('');
  });
});

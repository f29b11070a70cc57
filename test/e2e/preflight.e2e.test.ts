// shakedown preflight on the real kind cluster: no blocker on the healthy
// sample stack (exit 0); a budget with minAvailable equal to the replicas
// named as the blocker (exit 1); and the same run under a ServiceAccount that
// may only get, list and watch (plus create evictions, for the dry runs)
// succeeds and leaves every pod as it was: preflight writes nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { KindCluster } from '../../src/clusters/kind/cluster.ts';
import { networkName } from '../../src/clusters/kind/provider.ts';
import { loadKubeConfig } from '../../src/kube/client.ts';
import { EventBus } from '../../src/core/events.ts';
import { ensureImageInNodes } from '../../src/clusters/kind/load-images.ts';
import { agentImage, sampleStack } from '../../src/stack/sample.ts';
import { exec, must } from '../../src/tools/exec.ts';
import { E2E_CLUSTER } from './cluster-name.ts';

const kubeconfig = inject('kubeconfig');
const context = loadKubeConfig(kubeconfig).getCurrentContext();
const kubectl = (args: string[], input?: string) => must('kubectl', ['--kubeconfig', kubeconfig, ...args], input === undefined ? {} : { input });
const NS = 'e2e-preflight';
const READER = 'e2e-preflight-reader';
/** Findings are limited to this stack and the cluster's own pods: another test's stack on the shared cluster is not ours to judge. */
const SCOPE = ['--namespace', NS, '--namespace', 'kube-system'];

interface Report {
  exitCode: number;
  blockers: number;
  drain: { nodes: Array<{ node: string; blocked: boolean; evictions: Array<{ pod: string; outcome: string }> }> };
  dryRuns: Record<string, Array<{ pod: string; result: string; message?: string }>>;
  findings: Array<{ severity: string; check: string; object: string; message: string; node?: string }>;
}

function preflight(args: string[], label: string) {
  const started = Date.now();
  const out = spawnSync(process.execPath, ['bin/shakedown.js', 'preflight', ...args], { encoding: 'utf8', timeout: 120_000 });
  console.log(`[preflight ${label}] exit ${out.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

function json(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

async function podUids(): Promise<string> {
  return (await kubectl(['-n', NS, 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid} {end}'])).trim();
}

/** Applies the frontend budget and waits until the disruption controller has counted it. */
async function setFrontendBudget(minAvailable: string | number): Promise<void> {
  await kubectl(['apply', '-f', '-'], stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'frontend', namespace: NS }, spec: { minAvailable, selector: { matchLabels: { app: 'frontend' } } } }));
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const [generation, observed] = (await kubectl(['-n', NS, 'get', 'pdb', 'frontend', '-o', 'jsonpath={.metadata.generation} {.status.observedGeneration}'])).split(' ');
    if (generation && generation === observed) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the disruption controller did not count the frontend budget within 60 s');
}

describe('shakedown preflight on a real cluster', () => {
  beforeAll(async () => {
    const cluster = new KindCluster({ provider: 'kind', name: E2E_CLUSTER, kubeconfig, network: networkName(E2E_CLUSTER), owned: true });
    const machines = await cluster.nodes.list();
    await ensureImageInNodes(
      agentImage(),
      machines.filter((m) => m.running).map((m) => m.name),
      new EventBus(),
    );
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
    // No NodePort: 30080 may be held by another stack on the shared cluster.
    const objects = sampleStack(NS, 'healthy').map((o) => (o.kind === 'Service' ? { ...o, spec: { ...o.spec, type: 'ClusterIP', ports: o.spec.ports.map(({ nodePort: _, ...p }: Record<string, unknown>) => p) } } : o));
    await kubectl(['apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
    for (const d of ['backend', 'frontend']) await kubectl(['-n', NS, 'rollout', 'status', `deployment/${d}`, '--timeout=180s']);
    await setFrontendBudget('50%');
  });

  afterAll(async () => {
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'clusterrolebinding,clusterrole', READER, '--ignore-not-found']);
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
  });

  it('finds no blocker on the healthy sample stack, and the API server agrees with each first eviction (exit 0)', () => {
    const out = preflight(['--context', context, '--kubeconfig', kubeconfig, ...SCOPE, '--format', 'json'], 'healthy');
    expect(out.code, `${out.stderr}\n${out.stdout}`).toBe(0);
    const report = json(out.stdout);
    expect(
      report.blockers,
      JSON.stringify(
        report.findings.filter((f) => f.severity === 'blocker'),
        null,
        2,
      ),
    ).toBe(0);
    expect(report.drain.nodes.every((n) => !n.blocked)).toBe(true);
    // The stack's six pods are each evicted at least once on the way through.
    const evicted = new Set(report.drain.nodes.flatMap((n) => n.evictions.filter((e) => e.outcome === 'evicted').map((e) => e.pod)).filter((p) => p.startsWith(`${NS}/`)));
    expect(evicted.size).toBe(6);
    expect(Object.values(report.dryRuns).flat().length).toBeGreaterThan(0);
    expect(
      Object.values(report.dryRuns)
        .flat()
        .filter((d) => d.result !== 'allowed'),
    ).toEqual([]);
  });

  it('names the blocker when a budget keeps minAvailable equal to the replicas (exit 1)', async () => {
    await setFrontendBudget(3);
    try {
      const out = preflight(['--context', context, '--kubeconfig', kubeconfig, ...SCOPE], 'broken');
      console.log(out.stdout);
      expect(out.code, out.stderr).toBe(1);
      expect(out.stdout).toContain(`BLOCKER  budget-never-allows: PodDisruptionBudget ${NS}/frontend`);
      expect(out.stdout).toContain('it can never allow a disruption: minAvailable 3 with 3 pods expected means 3 must stay healthy');
      expect(out.stdout).toMatch(new RegExp(`the drain of node ${E2E_CLUSTER}-worker\\d? blocks: evicting ${NS}/frontend-\\S+ is refused: budget ${NS}/frontend allows no disruption`));
      // The API server refuses the same eviction in its dry run.
      expect(out.stdout).toMatch(/\(a dry-run eviction is refused now too: Cannot evict pod as it would violate the pod's disruption budget/);
    } finally {
      await setFrontendBudget('50%');
    }
  });

  it('runs as a ServiceAccount that may only read (and dry-run evictions), and leaves every pod as it was', async () => {
    await kubectl(['-n', NS, 'create', 'serviceaccount', READER]);
    await kubectl(
      ['apply', '-f', '-'],
      [
        stringify({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRole',
          metadata: { name: READER },
          rules: [
            { apiGroups: [''], resources: ['nodes', 'pods', 'namespaces', 'replicationcontrollers'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
            { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
          ],
        }),
        stringify({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: READER },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: READER },
          subjects: [{ kind: 'ServiceAccount', name: READER, namespace: NS }],
        }),
      ].join('---\n'),
    );
    const as = ['--kubeconfig', kubeconfig, `--as=system:serviceaccount:${NS}:${READER}`];
    // The account cannot write: checked, not assumed.
    for (const verb of ['delete pods', 'patch nodes', 'create pods', 'update poddisruptionbudgets.policy']) {
      const can = await exec('kubectl', ['auth', 'can-i', ...verb.split(' '), '-A', ...as]);
      expect(can.stdout.trim(), verb).toBe('no');
    }

    const token = (await kubectl(['-n', NS, 'create', 'token', READER, '--duration=10m'])).trim();
    const admin = loadKubeConfig(kubeconfig);
    const server = admin.getCurrentCluster()!;
    const readerConfig = join(mkdtempSync(join(tmpdir(), 'preflight-reader-')), 'kubeconfig');
    writeFileSync(
      readerConfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'e2e', cluster: { server: server.server, 'certificate-authority-data': server.caData } }],
        users: [{ name: READER, user: { token } }],
        contexts: [{ name: READER, context: { cluster: 'e2e', user: READER } }],
        'current-context': READER,
      }),
    );

    const before = await podUids();
    const out = preflight(['--context', READER, '--kubeconfig', readerConfig, ...SCOPE, '--target-version', 'v1.35', '--format', 'json'], 'read-only');
    expect(out.code, `${out.stderr}\n${out.stdout}`).toBe(0);
    const report = json(out.stdout);
    expect(
      Object.values(report.dryRuns)
        .flat()
        .filter((d) => d.result !== 'allowed'),
    ).toEqual([]);
    // GET /metrics is not granted: said as a warning, not a failure.
    expect(report.findings.find((f) => f.check === 'deprecated-api-in-use' && f.object === 'GET /metrics')?.message).toMatch(/could not be read \(HTTP 403/);
    expect(report.findings.find((f) => f.check === 'control-plane-skew')?.message).toMatch(/^v1\.34\.\d+ to v1\.35: one minor release$/);
    // The dry-run evictions evicted nothing: the same pods, the same UIDs.
    expect(await podUids()).toBe(before);
  });
});

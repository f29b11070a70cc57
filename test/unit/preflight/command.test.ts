// `shakedown preflight` end to end over a fake cluster: bad input is exit 2
// before the cluster is touched, an unreadable cluster exit 3, a blocker
// exit 1; the dry runs and the metric feed the findings; every format
// renders the same report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { preflightCommand } from '../../../src/cli/commands/preflight.ts';
import type { CliIo } from '../../../src/cli/io.ts';
import type { Snapshot } from '../../../src/preflight/model.ts';
import type { DryRunResult } from '../../../src/preflight/report.ts';
import type { PreflightCluster } from '../../../src/preflight/run.ts';
import { budget, deployment, node, pod, snapshot } from './fixtures.ts';

function buffers(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const io = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd: process.cwd(), env: {} } as unknown as CliIo;
  return { io, out: () => out, err: () => err };
}

const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
/** A kubeconfig whose one context points at a port nothing listens on. */
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: dev, context: {cluster: c, user: u}}]
current-context: dev
`,
);

describe('preflight input', () => {
  it.each([
    ['no context', [], /preflight needs --context NAME/],
    ['a context the kubeconfig lacks', ['--context', 'prod', '--kubeconfig', kubeconfig], /context "prod" is not in kubeconfig .* \(it has: dev\)/],
    ['a missing kubeconfig', ['--context', 'dev', '--kubeconfig', join(dir, 'nope')], /cannot read kubeconfig/],
    ['an unknown format', ['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'xml'], /--format must be table, json or junit/],
    ['a malformed target', ['--context', 'dev', '--kubeconfig', kubeconfig, '--target-version', 'latest'], /--target-version must look like v1\.35/],
    ['manifests without a target', ['--context', 'dev', '--kubeconfig', kubeconfig, '--manifests', dir], /add --target-version/],
    ['manifests that are not there', ['--context', 'dev', '--kubeconfig', kubeconfig, '--target-version', 'v1.35', '--manifests', join(dir, 'none')], /no such file or directory/],
  ])('refuses %s with exit 2', async (_name, args, message) => {
    const { io, err } = buffers();
    expect(await main(['preflight', ...args], io)).toBe(2);
    expect(err()).toMatch(message);
  });

  it('exits 3 when the cluster cannot be read, naming what failed', () => {
    const out = spawnSync(process.execPath, ['bin/shakedown.js', 'preflight', '--context', 'dev', '--kubeconfig', kubeconfig], { encoding: 'utf8', timeout: 60_000 });
    expect(out.status, out.stderr).toBe(3);
    expect(out.stderr).toMatch(/cannot read the cluster: listing \w+ failed/);
    expect(out.stderr).not.toContain('internal error');
  });
});

/** A cluster that answers from a snapshot and records what preflight asked. */
function fakeCluster(snap: Snapshot, dryRun: (pod: string) => DryRunResult, metrics: { text: string } | { error: string } = { error: 'HTTP 403: forbidden' }) {
  const asked: string[] = [];
  const cluster: PreflightCluster = {
    read: async () => ({ snapshot: snap, warnings: [] }),
    dryRunEviction: async (p) => (asked.push(p), dryRun(p)),
    metrics: async () => metrics,
  };
  return { cluster, asked };
}

const healthy = snapshot({
  nodes: [node('cp', { controlPlane: true, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), node('w1'), node('w2')],
  pods: [pod('web-0', 'w1'), pod('web-1', 'w2'), pod('web-2', 'w2')],
  budgets: [budget('web', { minAvailable: '50%' })],
  workloads: [deployment('web', 3)],
});

describe('preflight over a cluster', () => {
  it("exits 0 with no blocker, dry-runs each node's first eviction, and warns that the metric was forbidden", async () => {
    const { cluster, asked } = fakeCluster(healthy, (p) => ({ pod: p, result: 'allowed' }));
    const { io, out } = buffers();
    const code = await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--target-version', 'v1.35', '--format', 'json'], io, () => cluster);
    expect(code).toBe(0);
    // web-1 is web-0's kind (same Deployment, budget and health): the API server would answer it the same, so one dry run answers both.
    expect(asked).toEqual(['shop/web-0']);
    const report = JSON.parse(out());
    expect(report).toMatchObject({ version: 1, exitCode: 0, context: 'dev', target: 'v1.35', blockers: 0 });
    expect(report.dryRuns).toEqual({ w1: [{ pod: 'shop/web-0', result: 'allowed' }], w2: [{ pod: 'shop/web-1', result: 'allowed', sameAs: 'shop/web-0' }] });
    expect(report.findings.find((f: { check: string }) => f.check === 'deprecated-api-in-use')).toMatchObject({ severity: 'warning', message: expect.stringContaining('could not be read (HTTP 403: forbidden)') });
  });

  it('exits 1 when the API server refuses a first eviction the simulation let through', async () => {
    const { cluster } = fakeCluster(healthy, (p) => ({ pod: p, result: 'refused', message: "Cannot evict pod as it would violate the pod's disruption budget." }));
    const { io, out } = buffers();
    expect(await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig], io, () => cluster)).toBe(1);
    expect(out()).toContain('BLOCKER  dry-run: Pod shop/web-1 [node w2]');
    expect(out()).toContain('the API server refuses a dry-run eviction of shop/web-1 now');
    expect(out()).toMatch(/refused \(shop\/web-1, as for shop\/web-0\)/);
    expect(out()).toMatch(/Verdict: 2 blockers/);
  });

  it('asks again for a pod of the same Deployment that differs in health: the API server judges an unready pod by other rules', async () => {
    const snap = snapshot({ ...healthy, pods: [pod('web-0', 'w1'), pod('web-1', 'w2', { ready: false }), pod('web-2', 'w2')] });
    const { cluster, asked } = fakeCluster(snap, (p) => ({ pod: p, result: 'allowed' }));
    await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'json'], buffers().io, () => cluster);
    expect(asked).toEqual(['shop/web-0', 'shop/web-1']);
  });

  it('limits the findings to --namespace, while every pod still takes room', async () => {
    const snap = snapshot({ ...healthy, pods: [...healthy.pods, pod('solo-0', 'w1', { namespace: 'other' })], workloads: [...healthy.workloads, deployment('solo', 1, 'other')] });
    const { cluster } = fakeCluster(snap, (p) => ({ pod: p, result: 'allowed' }));
    const all = buffers();
    await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'json'], all.io, () => cluster);
    const scoped = buffers();
    await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'json', '--namespace', 'shop'], scoped.io, () => cluster);
    const objects = (o: string) => (JSON.parse(o).findings as Array<{ object: string }>).map((f) => f.object);
    expect(objects(all.out())).toContain('Deployment other/solo');
    expect(objects(scoped.out())).not.toContain('Deployment other/solo');
  });

  it("dry-runs each node's first refused eviction too, and says whether the API server agrees now", async () => {
    const broken = snapshot({
      ...healthy,
      nodes: [...healthy.nodes, node('w3')],
      pods: [...healthy.pods, pod('api-0', 'w3'), pod('web-3', 'w3')],
      budgets: [budget('web', { minAvailable: 4 })],
      workloads: [deployment('web', 4), deployment('api', 1)],
    });
    // The API server refuses the web pods (as the simulation does) and api-0 too (where the simulation let it go).
    const { cluster, asked } = fakeCluster(broken, (p) => ({ pod: p, result: 'refused', message: 'would violate the budget' }));
    const { io, out } = buffers();
    expect(await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'json'], io, () => cluster)).toBe(1);
    // w3's first eviction (api-0) and its first refused one (web-3) are two pods; web-1 and web-3 are web-0's kind, asked once.
    expect(asked).toEqual(['shop/web-0', 'shop/api-0']);
    const report = JSON.parse(out());
    expect(report.dryRuns.w3).toEqual([
      { pod: 'shop/api-0', result: 'refused', message: 'would violate the budget' },
      { pod: 'shop/web-3', result: 'refused', message: 'would violate the budget', sameAs: 'shop/web-0' },
    ]);
    const drain = (node: string) => report.findings.find((f: { check: string; node?: string }) => f.check === 'drain' && f.node === node);
    expect(drain('w1').message).toMatch(/ \(a dry-run eviction is refused now too: would violate the budget\)$/);
    expect(drain('w3').message).toMatch(/ \(a dry-run eviction is refused now too: would violate the budget\)$/);
    // api-0: the API server refuses what the simulation let go (a blocker).
    expect(report.findings.filter((f: { check: string; severity: string }) => f.check === 'dry-run').map((f: { severity: string; object: string }) => [f.severity, f.object])).toEqual([['blocker', 'Pod shop/api-0']]);

    // The other way round: the API server lets the web pods go now, which the simulation refuses only at that point of the sequence (info).
    const lenient = fakeCluster(broken, (p) => ({ pod: p, result: 'allowed' }));
    const again = buffers();
    await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'json'], again.io, () => lenient.cluster);
    const infos = (JSON.parse(again.out()).findings as Array<{ check: string; severity: string; object: string }>).filter((f) => f.check === 'dry-run').map((f) => [f.severity, f.object]);
    expect(infos).toEqual(
      expect.arrayContaining([
        ['info', 'Pod shop/web-0'],
        ['info', 'Pod shop/web-3'],
      ]),
    );
  });

  it('renders JUnit: a testcase per node drain, a failure per blocker, text escaped', async () => {
    const broken = snapshot({ ...healthy, budgets: [budget('web', { minAvailable: 3 })], pods: healthy.pods.map((p) => ({ ...p, name: p.name.replace('web', 'web<&>') })) });
    const { cluster } = fakeCluster(broken, (p) => ({ pod: p, result: 'refused', message: 'would violate "web"' }));
    const { io, out } = buffers();
    expect(await preflightCommand(['--context', 'dev', '--kubeconfig', kubeconfig, '--format', 'junit'], io, () => cluster)).toBe(1);
    const xml = out();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="shakedown preflight" tests="\d+" failures="\d+"/);
    expect(xml).toContain('<testcase classname="shakedown.preflight.drain" name="drain cp (control-plane)" time="0">');
    expect(xml).toMatch(/<testcase classname="shakedown.preflight.drain" name="drain w1 \(worker\)" time="0">\n\s+<failure message="the drain of node w1 blocks: evicting shop\/web&lt;&amp;&gt;-0 is refused/);
    expect(xml).toContain('<testcase classname="shakedown.preflight.budget-never-allows" name="PodDisruptionBudget shop/web"');
    expect(xml).not.toMatch(/web<&>/);
  });
});

// A DNS outage under load on the shared e2e cluster: every query to CoreDNS
// dropped, nothing else. The healthy stack rides it out on kept-alive
// connections; a frontend that looks the backend up for every call fails,
// explained. (Its own file, so the e2e tier's shards come out about even;
// see vitest.e2e.config.ts.)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { RunResult } from '../../src/core/result.ts';
import { exec, must } from '../../src/tools/exec.ts';
import { E2E_CLUSTER, STATE_DIR } from './cluster-name.ts';
import { runOnSharedCluster, verdictOf } from './run-cli.ts';

describe('a DNS outage under load (queries to CoreDNS dropped, nothing else)', () => {
  it('a new lookup fails in the window, the healthy stack rides it out on kept-alive connections, CoreDNS is untouched, and every chain is gone after', async () => {
    const kubeconfig = inject('kubeconfig');
    const child = spawn(process.execPath, ['bin/shakedown.js', 'run', 'test/e2e/scenarios/dns-outage-short.yaml', '--reuse', '--cluster-name', E2E_CLUSTER, '--output', 'plain'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const active = new Promise<void>((done, fail) => {
      const look = (chunk: Buffer) => {
        text += chunk.toString();
        if (/fault dns-down \(dns-outage\): active/.test(text)) done();
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      void exited.then(() => fail(new Error(`the run ended before its fault was active:\n${text}`)));
    });
    await active;
    // A fresh connection needs a fresh lookup: from a frontend pod, by the name the stack uses.
    const frontend = (await must('kubectl', ['--kubeconfig', kubeconfig, '-n', 'shakedown-stack', 'get', 'pods', '-l', 'app=frontend', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    const lookup = await exec('kubectl', ['--kubeconfig', kubeconfig, '-n', 'shakedown-stack', 'exec', frontend, '--', '/agent', 'http', '--timeout', '4s', 'http://backend.shakedown-stack.svc.cluster.local/']);
    expect(lookup.exitCode, lookup.stdout + lookup.stderr).not.toBe(0);
    expect(lookup.stdout + lookup.stderr).toMatch(/deadline exceeded|i\/o timeout|no such host|server misbehaving/);
    expect(await exited).toBe(0);
    const runId = /^run (\S+):/m.exec(text)?.[1];
    const result = JSON.parse(readFileSync(join(STATE_DIR, 'runs', runId!, 'results.json'), 'utf8')) as RunResult;
    // Seen: 449 requests, 0.0% errors: the frontends resolved the backend once and kept their connections.
    expect(verdictOf(result, 'availability', 'dns-down')?.status).toBe('passed');
    expect(result.faults[0]).toMatchObject({ state: 'reverted' });
    expect((result.faults[0]!.details!.pods as string[]).every((p) => p.startsWith('kube-system/coredns-'))).toBe(true);
    for (const node of result.faults[0]!.details!.nodes as string[]) expect((await must('docker', ['exec', node, 'iptables', '-w', '-t', 'mangle', '-S'])).includes('SHK-LOSS')).toBe(false);
    const after = await exec('kubectl', ['--kubeconfig', kubeconfig, '-n', 'kube-system', 'get', 'pods', '-l', 'k8s-app=kube-dns', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']);
    expect(
      after.stdout
        .trim()
        .split(/\s+/)
        .every((s) => s === 'True'),
      after.stdout,
    ).toBe(true);
  });
});

describe('a DNS outage against a frontend that looks the backend up for every call', () => {
  it('fails availability in the window, explained by the outage with the fix of reusing connections', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/dns-outage-no-keepalive.yaml');
    expect(code, output).toBe(1);
    const availability = verdictOf(result, 'availability', 'dns-down')!;
    expect(availability.status).toBe('failed');
    expect(availability.details?.errorRate as number).toBeGreaterThan(0.5);
    expect(availability.explanation?.cause, output).toMatch(/^every Deployment kept its ready pods, but the cluster DNS did not answer \(DNS queries to kube-system\/coredns-/);
    expect(availability.explanation?.fix).toMatch(/^reuse connections to the Services your pods call \(HTTP keep-alive or a connection pool\)/);
    expect(result.faults[0]).toMatchObject({ state: 'reverted' });
  });
});

// provider: existing — a cluster named by its context. shakedown runs
// API-level faults and assertions on it, never deletes it, and refuses
// faults that need the nodes' machines.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { kindClusters } from '../../src/clusters/kind/provider.ts';
import { must } from '../../src/tools/exec.ts';
import { E2E_CLUSTER } from './cluster-name.ts';

const kubeconfig = inject('kubeconfig');

/** The scenario, aimed at this shard's cluster: its files name the default one, shakedown-e2e, and its kubeconfig under the default state dir. */
function run(file: string) {
  const aimed = join(mkdtempSync(join(tmpdir(), 'shakedown-existing-')), basename(file));
  const text = readFileSync(file, 'utf8')
    .replace(/^( {2}kubeconfig: ).*$/m, `$1${resolve(kubeconfig)}`)
    .replace(/^( {2}context: ).*$/m, `$1kind-${E2E_CLUSTER}`);
  writeFileSync(aimed, text);
  const out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', aimed, '--output', 'plain'], { encoding: 'utf8' });
  return { code: out.status, text: out.stdout + out.stderr };
}

describe('an existing cluster, named explicitly', () => {
  it('runs a pod kill and judges recovery, and leaves the cluster in place', async () => {
    const out = run('test/e2e/scenarios/existing-pod-kill.yaml');
    expect(out.code, out.text).toBe(0);
    expect(out.text).toContain('PASSED  recovered-within [recovery]');
    expect(await kindClusters()).toContain(E2E_CLUSTER);
  });

  it('refuses a node-level fault with exit 3 and leaves no node cordoned', async () => {
    const out = run('test/e2e/scenarios/existing-node-fault.yaml');
    expect(out.code, out.text).toBe(3);
    expect(out.text).toContain("needs the node's machine, which shakedown cannot reach on an existing cluster");
    expect(await must('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o', 'jsonpath={.items[*].spec.unschedulable}'])).not.toContain('true');
  });
});

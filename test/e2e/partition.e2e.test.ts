// network-partition on the real cluster: a run that heals by itself, and a
// runner killed with SIGKILL mid-partition whose rules `shakedown cleanup`
// removes, after which the node rejoins.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, inject, it } from 'vitest';
import { chainName } from '../../src/faults/network-partition/rules.ts';
import { exec, must } from '../../src/tools/exec.ts';
import { E2E_CLUSTER } from './cluster-name.ts';

const kubeconfig = inject('kubeconfig');
/** Which worker is cut is the seed's choice: the run says which. */
const CUT_OFF = new RegExp(`(${E2E_CLUSTER}-worker\\d*) cut off`);

/** Can the cut node's kubelet side reach the API server on the control plane? */
async function nodeReachesApi(cutNode: string): Promise<boolean> {
  const ip = (await must('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', `${E2E_CLUSTER}-control-plane`])).trim();
  return (await exec('docker', ['exec', cutNode, 'curl', '-sk', '--max-time', '2', `https://${ip}:6443/readyz`])).exitCode === 0;
}

async function chainPresent(cutNode: string): Promise<boolean> {
  return (await exec('docker', ['exec', cutNode, 'iptables', '-w', '-t', 'raw', '-S', chainName('cut')])).exitCode === 0;
}

describe('network-partition on a real cluster', () => {
  it('cuts a worker off under load, heals it, and the stack recovers', async () => {
    const out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', 'test/e2e/scenarios/partition-short.yaml', '--reuse', '--cluster-name', E2E_CLUSTER, '--output', 'plain'], { encoding: 'utf8' });
    console.log(
      out.stdout
        .split('\n')
        .filter((l) => /PASSED|FAILED|fault|cleanup/.test(l))
        .join('\n'),
    );
    expect(out.status, out.stdout + out.stderr).toBe(0);
    const cutNode = CUT_OFF.exec(out.stdout)?.[1];
    expect(cutNode, out.stdout).toBeDefined();
    expect(await chainPresent(cutNode!)).toBe(false);
  });

  it('SIGKILL mid-partition leaves the rules; shakedown cleanup removes them and the node rejoins', async () => {
    const child = spawn(process.execPath, ['bin/shakedown.js', 'run', 'test/e2e/scenarios/partition-killed.yaml', '--reuse', '--cluster-name', E2E_CLUSTER, '--output', 'ndjson'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    let runId = '';
    let cutNode = '';
    await new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { kind: string; runId?: string; faultId?: string; state?: string; message?: string };
        if (event.kind === 'run-started') runId = event.runId!;
        if (event.kind === 'fault' && event.faultId === 'cut' && event.state === 'active' && CUT_OFF.test(event.message ?? '')) {
          cutNode = CUT_OFF.exec(event.message!)![1]!;
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`run ended before the partition (exit ${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    let cleaned = false;
    try {
      expect(await chainPresent(cutNode)).toBe(true);
      expect(await nodeReachesApi(cutNode)).toBe(false);

      const started = Date.now();
      const cleanup = spawnSync(process.execPath, ['bin/shakedown.js', 'cleanup', '--run', runId], { encoding: 'utf8' });
      cleaned = true;
      console.log(cleanup.stdout);
      expect(cleanup.status, cleanup.stdout + cleanup.stderr).toBe(0);
      expect(cleanup.stdout).toContain(`heal partition of ${cutNode}`);
      expect(await chainPresent(cutNode)).toBe(false);
      expect(await nodeReachesApi(cutNode)).toBe(true);
      await must('kubectl', ['--kubeconfig', kubeconfig, 'wait', '--for=condition=Ready', `node/${cutNode}`, '--timeout=120s']);
      console.log(`[partition] cleanup and rejoin took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      // A check that failed before the cleanup must not leave the partition and the stack to the tests after it.
      if (!cleaned) spawnSync(process.execPath, ['bin/shakedown.js', 'cleanup', '--run', runId], { encoding: 'utf8' });
    }
    // The k6 process of the killed run is bounded by its duration; stop it now.
    await exec('pkill', ['-f', `runs/${runId}/load.js`]);
  });
});

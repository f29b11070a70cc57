// Benchmark (not a test): `shakedown cluster up` against plain
// `kind create cluster` with the same config and node image, from one run
// each, plus a reuse of the shakedown cluster. Both clusters boot on a
// fenced network, so the plain one keeps its traffic on this machine too.
//   node scripts/bench-cluster.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNetwork, installFence, removeFence, removeNetwork } from '../src/clusters/kind/fence.ts';
import { resolveNodeImage } from '../src/clusters/kind/image.ts';
import { exec, must } from '../src/tools/exec.ts';

const state = '.shakedown';
const ours = 'bench-shakedown';
const plain = 'bench-kind';

async function timed<T>(what: string, body: () => Promise<T>): Promise<number> {
  const started = process.hrtime.bigint();
  await body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${what.padEnd(58)} ${seconds.toFixed(1).padStart(6)} s`);
  return seconds;
}

const cli = (...args: string[]) => must(process.execPath, ['bin/shakedown.js', ...args]);

await cli('cluster', 'down', '--name', ours);
await exec('kind', ['delete', 'cluster', '--name', plain]);

const up = await timed('shakedown cluster up (fence, create, nodes+CNI+DNS ready)', () => cli('cluster', 'up', '--name', ours));
const reuse = await timed('shakedown cluster up again (reuse)', () => cli('cluster', 'up', '--name', ours));
const config = readFileSync(join(state, 'clusters', ours, 'kind-config.yaml'), 'utf8');
await cli('cluster', 'down', '--name', ours);

const image = (await resolveNodeImage(undefined)).image;
const net = await ensureNetwork(plain, `shakedown-${plain}`);
await installFence(plain, net.bridge);
let kind = 0;
try {
  kind = await timed('kind create cluster + kubectl wait nodes Ready (same config)', async () => {
    await must('kind', ['create', 'cluster', '--name', plain, '--image', image, '--config', '-', '--kubeconfig', join(state, 'bench-kind.kubeconfig')], {
      input: config,
      env: { KIND_EXPERIMENTAL_DOCKER_NETWORK: `shakedown-${plain}` },
    });
    await must('kubectl', ['--kubeconfig', join(state, 'bench-kind.kubeconfig'), 'wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=300s']);
  });
} finally {
  await exec('kind', ['delete', 'cluster', '--name', plain]);
  await removeFence(plain);
  await removeNetwork(`shakedown-${plain}`);
}
console.log(`\nratio shakedown/plain kind: ${(up / kind).toFixed(2)} (target <= 1.10); reuse ${reuse.toFixed(1)} s (target < 5 s)`);
console.log('shakedown also waits for kube-router, kube-proxy and CoreDNS to roll out; plain kind stops at nodes Ready.');

// Whether a CNI can boot on this machine, and if not, why: the reason a
// matrix test is skipped with. Registry CNIs need kind's upstream node image
// (present, or pulled now) and their pinned install source.
import type { Cni } from '../../src/clusters/cni/types.ts';
import { fetchPinned, readPins } from '../../src/clusters/cni/pinned-source.ts';
import { builtImageTagFile, UPSTREAM_NODE_IMAGE } from '../../src/clusters/kind/image.ts';
import { existsSync, readFileSync } from 'node:fs';
import { exec } from '../../src/tools/exec.ts';

const present = async (image: string) => (await exec('docker', ['image', 'inspect', '-f', '{{.Id}}', image])).exitCode === 0;

export async function unavailableBecause(cni: Cni): Promise<string | undefined> {
  if (cni.images === 'local') {
    const tag = existsSync(builtImageTagFile()) ? readFileSync(builtImageTagFile(), 'utf8').trim() : undefined;
    return tag && (await present(tag)) ? undefined : 'the node image built here is missing: run `task cluster:images`';
  }
  if (!(await present(UPSTREAM_NODE_IMAGE))) {
    const started = Date.now();
    const pull = await exec('docker', ['pull', UPSTREAM_NODE_IMAGE], { timeoutMs: 300_000 });
    if (pull.exitCode !== 0) return `its images come from public registries, and none is reachable here (pulling kind's upstream node image failed after ${Date.now() - started} ms)`;
  }
  if (cni.install && cni.name !== 'kindnet') {
    try {
      await fetchPinned(readPins(cni.name), AbortSignal.timeout(60_000));
    } catch (error) {
      return (error as Error).message;
    }
  }
  if (cni.name === 'cilium' && (await exec('helm', ['version', '--short'])).exitCode !== 0) return 'Cilium installs from its Helm chart and helm is not on PATH';
  return undefined;
}

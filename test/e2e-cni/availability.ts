// Whether a CNI can boot on this machine, and if not, why: the reason a
// matrix test is skipped with. Local CNIs need the node image built here;
// registry CNIs need kind's upstream node image (present, or pulled now),
// their pinned install source and the host tools their install runs.
import { missingTools } from '../../src/clusters/cni/host-tools.ts';
import type { Cni } from '../../src/clusters/cni/types.ts';
import { fetchPinned, readPins } from '../../src/clusters/cni/pinned-source.ts';
import { resolveNodeImage, UPSTREAM_NODE_IMAGE } from '../../src/clusters/kind/image.ts';
import { dockerImagePresent, pullImage } from '../../src/clusters/kind/engine.ts';

export async function unavailableBecause(cni: Cni): Promise<string | undefined> {
  if (cni.images === 'local') {
    return (await resolveNodeImage(undefined)).source === 'built-locally' ? undefined : 'the node image built here is missing: run `task cluster:images`';
  }
  if (!(await dockerImagePresent(UPSTREAM_NODE_IMAGE))) {
    const started = Date.now();
    const pulled = await pullImage(UPSTREAM_NODE_IMAGE, { timeoutMs: 300_000 }).then(
      () => true,
      () => false,
    );
    if (!pulled) return `its images come from public registries, and none is reachable here (pulling kind's upstream node image failed after ${Date.now() - started} ms)`;
  }
  if (cni.pins) {
    try {
      await fetchPinned(readPins(cni.pins), AbortSignal.timeout(60_000));
    } catch (error) {
      return (error as Error).message;
    }
  }
  const missing = await missingTools(cni);
  return missing.length ? `${cni.name} installs with ${missing.join(', ')}, not on PATH` : undefined;
}

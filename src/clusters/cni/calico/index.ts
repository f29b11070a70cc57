import { must } from '../../../tools/exec.ts';
import { fetchPinned, readPins } from '../pinned-source.ts';
import type { Cni } from '../types.ts';

/** Calico from its release manifest, pinned in clusters/cni/calico.yaml. */
export const calico: Cni = {
  name: 'calico',
  summary: "Calico from its pinned release manifest, on kind's upstream node image (needs a registry)",
  images: 'registry',
  enforcesNetworkPolicy: true,
  pins: 'calico',
  async install(ctx) {
    const pins = readPins(calico.pins!);
    const manifest = await fetchPinned(pins, ctx.signal);
    // Server-side: Calico's CRDs are too large for client-side apply's annotation.
    await must('kubectl', ['--kubeconfig', ctx.kubeconfig, 'apply', '--server-side', '-f', manifest], { signal: ctx.signal });
    ctx.log(`CNI Calico ${pins.version} applied (manifest sha256 ${pins.source.sha256.slice(0, 12)}…)`);
  },
};

import { must } from '../../../tools/exec.ts';
import { fetchPinned, readPins } from '../pinned-source.ts';
import type { Cni } from '../types.ts';

/** Cilium from its Helm chart, pinned in clusters/cni/cilium.yaml, rendered with helm (checked before any cluster is made). */
export const cilium: Cni = {
  name: 'cilium',
  summary: "Cilium from its pinned Helm chart, on kind's upstream node image (needs a registry and helm)",
  images: 'registry',
  enforcesNetworkPolicy: true,
  pins: 'cilium',
  tools: ['helm'],
  async install(ctx) {
    const pins = readPins(cilium.pins!);
    const chart = await fetchPinned(pins, ctx.signal);
    const sets = Object.entries(pins.values ?? {}).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
    const manifest = await must('helm', ['template', 'cilium', chart, '--namespace', 'kube-system', ...sets], { signal: ctx.signal });
    await must('kubectl', ['--kubeconfig', ctx.kubeconfig, 'apply', '--server-side', '-f', '-'], { input: manifest, signal: ctx.signal });
    ctx.log(`CNI Cilium ${pins.version} applied from its chart (sha256 ${pins.source.sha256.slice(0, 12)}…)`);
  },
};

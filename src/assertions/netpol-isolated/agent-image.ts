// The agent's image in every node, for the probe pods and the probe
// containers alike. The sample stack's deployer loads it for its own pods;
// a user's stack brings no such thing, and a cluster without a registry
// cannot pull it.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { EventBus } from '../../runner/events.ts';
import { ensureImageInNodes } from '../../stack/images.ts';
import { agentImage } from '../../stack/sample.ts';

/** Best effort: a node that cannot be loaded (not a local container) tries to pull the image. */
export async function loadAgentImage(config: KubeConfig, bus: EventBus): Promise<void> {
  const image = agentImage();
  try {
    const nodes = (await config.makeApiClient(CoreV1Api).listNode()).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
    await ensureImageInNodes(image, nodes, bus);
  } catch (e) {
    bus.log('warn', `netpol probes: could not load ${image} into the nodes (${(e as Error).message}); they will try to pull it`);
  }
}

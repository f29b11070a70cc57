// The agent's image in every node, for the probe pods and the probe
// containers alike. The sample stack's deployer loads it for its own pods;
// a user's stack brings no such thing, and a cluster without a registry
// cannot pull it.
import type { EventBus } from '../../core/events.ts';
import { agentImage } from '../../stack/sample.ts';

/** Best effort: nodes it cannot be put into try to pull the image. */
export async function loadAgentImage(loadImages: (images: string[]) => Promise<string[]>, bus: EventBus): Promise<void> {
  const image = agentImage();
  try {
    const missing = await loadImages([image]);
    if (missing.length) bus.log('debug', `netpol probes: ${image} is not on this machine; the nodes will try to pull it`);
  } catch (e) {
    bus.log('warn', `netpol probes: could not load ${image} into the nodes (${(e as Error).message}); they will try to pull it`);
  }
}

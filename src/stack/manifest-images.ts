// The container images a stack's manifests run, so they can be put into
// the nodes before the pods ask for them (no registry to pull from here).
import type { ManifestObject } from './manifests.ts';

export interface ImageUse {
  image: string;
  /** Some container would pull it on every start: imagePullPolicy Always, said or defaulted. */
  pullsAlways: boolean;
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

/** Kubernetes' default pull policy: Always for an untagged or :latest image named without a digest. */
export function defaultPullsAlways(image: string): boolean {
  if (image.includes('@')) return false;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > lastSlash ? image.slice(colon + 1) : '';
  return tag === '' || tag === 'latest';
}

function visit(node: unknown, found: Map<string, ImageUse>): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, found);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const object = node as Record<string, unknown>;
  for (const list of CONTAINER_LISTS) {
    const containers = object[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers as Array<{ image?: unknown; imagePullPolicy?: unknown }>) {
      if (typeof container?.image !== 'string' || !container.image) continue;
      const policy = typeof container.imagePullPolicy === 'string' ? container.imagePullPolicy : undefined;
      const pullsAlways = policy ? policy === 'Always' : defaultPullsAlways(container.image);
      const seen = found.get(container.image);
      found.set(container.image, { image: container.image, pullsAlways: pullsAlways || (seen?.pullsAlways ?? false) });
    }
  }
  for (const value of Object.values(object)) visit(value, found);
}

/**
 * Images of every container and init container wherever a pod spec sits:
 * Pods, the pod templates of Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, Jobs, CronJobs, and custom resources that embed one.
 * Each image once, in the order first met.
 */
export function imagesIn(objects: ManifestObject[]): ImageUse[] {
  const found = new Map<string, ImageUse>();
  visit(objects, found);
  return [...found.values()];
}

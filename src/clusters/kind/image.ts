// Which kind node image to boot: the one the scenario names; else the image
// `task cluster:images` built from package sources (machines without a
// registry); else kind's own default node image, pinned by digest, pulled
// from the public registry as on any laptop.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dockerImagePresent } from './engine.ts';
import { cacheDir } from '../../tools/paths.ts';
import { pin } from '../../tools/versions.ts';

/** kind v0.31.0's default node image (pkg/apis/config/defaults/image.go). */
export const UPSTREAM_NODE_IMAGE = 'kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f';

export interface NodeImage {
  image: string;
  source: 'scenario' | 'built-locally' | 'upstream';
  /** kubeadm's imageRepository: locally built images live under a bare prefix. */
  imageRepository?: string;
  kubernetesVersion?: string;
}

export function builtImageTagFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'node-image.tag');
}

/** `upstream`: the CNI asked for pulls its images from registries, so the built image is no use. */
export async function resolveNodeImage(requested: string | undefined, env: NodeJS.ProcessEnv = process.env, options: { upstream?: boolean } = {}): Promise<NodeImage> {
  const builtTag = existsSync(builtImageTagFile(env)) ? readFileSync(builtImageTagFile(env), 'utf8').trim() : undefined;
  if (requested) {
    const local = requested === builtTag || requested.startsWith(`${pin('IMAGE_REPO')}/node:`);
    return { image: requested, source: 'scenario', ...(local && { imageRepository: pin('IMAGE_REPO'), kubernetesVersion: pin('KUBERNETES_VERSION') }) };
  }
  if (!options.upstream && builtTag && (await dockerImagePresent(builtTag))) {
    return { image: builtTag, source: 'built-locally', imageRepository: pin('IMAGE_REPO'), kubernetesVersion: pin('KUBERNETES_VERSION') };
  }
  return { image: UPSTREAM_NODE_IMAGE, source: 'upstream', kubernetesVersion: 'v1.35.0' };
}

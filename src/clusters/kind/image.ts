// Which kind node image to boot: the one the scenario names; else the image
// `task cluster:images` built from package sources for the wanted Kubernetes
// version (machines without a registry; one image per version); else kind's
// own default node image, pinned by digest, pulled from the public registry
// as on any laptop.
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

/** The Kubernetes versions the offline build knows how to make (versions.env). */
export function buildableVersions(): string[] {
  return pin('KUBERNETES_VERSIONS').split(/\s+/).filter(Boolean);
}

/** node-image.sh writes the tag of each version's image here. */
export function builtImageTagFile(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'node-images', `${version}.tag`);
}

function builtTag(version: string, env: NodeJS.ProcessEnv): string | undefined {
  const file = builtImageTagFile(version, env);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

/** shakedown/node:v1.35.4-<recipe hash> boots v1.35.4. */
function versionOfLocalTag(image: string): string | undefined {
  return /:(v\d+\.\d+\.\d+)-[0-9a-f]+$/.exec(image)?.[1];
}

/**
 * `version`: the Kubernetes version wanted (default: the pinned one).
 * `upstream`: the CNI asked for pulls its images from registries, so a built image is no use.
 */
export async function resolveNodeImage(requested: string | undefined, env: NodeJS.ProcessEnv = process.env, options: { upstream?: boolean; version?: string } = {}): Promise<NodeImage> {
  const version = options.version ?? pin('KUBERNETES_VERSION');
  if (requested) {
    const local = requested.startsWith(`${pin('IMAGE_REPO')}/node:`);
    const boots = local ? versionOfLocalTag(requested) : undefined;
    return { image: requested, source: 'scenario', ...(local && { imageRepository: pin('IMAGE_REPO') }), ...(boots && { kubernetesVersion: boots }) };
  }
  const tag = builtTag(version, env);
  if (!options.upstream && tag && (await dockerImagePresent(tag))) {
    return { image: tag, source: 'built-locally', imageRepository: pin('IMAGE_REPO'), kubernetesVersion: version };
  }
  return { image: UPSTREAM_NODE_IMAGE, source: 'upstream', kubernetesVersion: 'v1.35.0' };
}

// cluster.kubernetesVersion must be the version the chosen node image boots.
// A scenario that asks for another version is refused before anything is
// made (exit 3, with the reason), never silently given the image's version.
import { InfraError } from '../../errors.ts';
import { buildableVersions, type NodeImage } from './image.ts';

/** The Kubernetes version a node image boots, where it is known before booting: pinned, or in its tag (kindest/node:v1.35.0@sha256:...). */
export function versionOfImage(image: NodeImage): string | undefined {
  if (image.kubernetesVersion) return image.kubernetesVersion;
  return /:(v\d+\.\d+\.\d+)(?:@|$)/.exec(image.image)?.[1];
}

/**
 * Throws unless `image` boots `wanted`; an image of unknown version (a user's own tag) is taken at its word.
 * `registryCni`: the CNI that made the upstream image necessary, if one did.
 */
export function requireImageVersion(image: NodeImage, wanted: string, options: { registryCni?: string } = {}): void {
  const boots = versionOfImage(image);
  if (!boots || boots === wanted) return;
  if (image.source === 'upstream') {
    const why = options.registryCni ? `CNI ${options.registryCni} boots on kind's upstream node image, ` : "kind's upstream node image is ";
    // Without a registry CNI the upstream image is only the fallback for a node image not built here.
    const known = buildableVersions();
    const build = options.registryCni
      ? ''
      : known.includes(wanted)
        ? `no node image of ${wanted} is built here yet: build it with \`KUBERNETES_VERSION=${wanted} task cluster:images\`, or `
        : `this machine builds node images of ${known.join(' and ')} only: `;
    throw new InfraError(`${why}Kubernetes ${boots} (${image.image}); cluster.kubernetesVersion asks for ${wanted}: ${build}set it to ${options.registryCni ? boots : known.join(' or ')}, or name a kindest/node image of ${wanted} in cluster.image`);
  }
  throw new InfraError(`cluster.image ${image.image} boots Kubernetes ${boots}, and cluster.kubernetesVersion asks for ${wanted}: make them agree`);
}

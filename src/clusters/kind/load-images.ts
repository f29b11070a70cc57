// Images the stack needs, put straight into each node's containerd: there is
// no registry to pull from, and `kind load` re-imports every time. Loaded
// images stay in the node like kind's do, and go with it; a later run on a
// reused cluster finds them there and skips the import.
import { $ } from 'zx';
import { InfraError } from '../../errors.ts';
import type { EventBus } from '../../core/events.ts';
import { dockerImagePresent } from '../../tools/docker.ts';
import { exec } from '../../tools/exec.ts';
import { toolPath } from '../../tools/paths.ts';

/** containerd's name for an image given without a registry host. */
export function containerdName(image: string): string {
  const first = image.split('/')[0]!;
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? image : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
}

/** Imports a locally held image into every node that lacks it. */
async function importIntoNodes(image: string, nodes: string[], bus: EventBus): Promise<void> {
  const name = containerdName(image);
  for (const node of nodes) {
    const present = await exec('docker', ['exec', node, 'ctr', '-n', 'k8s.io', 'images', 'ls', '-q', `name==${name}`]);
    if (present.exitCode === 0 && present.stdout.trim()) continue;
    if (/No such container/i.test(present.stderr)) {
      // A node of an existing cluster that is no container here: it pulls for itself.
      bus.log('debug', `node ${node} is not a local container; it will pull ${image} itself`);
      continue;
    }
    const docker = toolPath('docker');
    const out = await $({ quiet: true, nothrow: true })`${docker} save ${image} | ${docker} exec -i ${node} ctr -n k8s.io images import --digests -`;
    if (out.exitCode !== 0) throw new InfraError(`loading ${image} into node ${node} failed: ${out.stderr.trim()}`);
    bus.log('info', `loaded ${image} into ${node}`);
  }
}

export async function ensureImageInNodes(image: string, nodes: string[], bus: EventBus): Promise<void> {
  if (!(await dockerImagePresent(image))) {
    // Not built here: the nodes may still pull it from a registry (laptops).
    bus.log('debug', `image ${image} is not in the local Docker engine; nodes will pull it`);
    return;
  }
  await importIntoNodes(image, nodes, bus);
}

/** Loads each image the local Docker engine holds into the nodes; returns the ones it does not hold. */
export async function loadLocalImages(images: string[], nodes: string[], bus: EventBus): Promise<string[]> {
  const missing: string[] = [];
  for (const image of images) {
    if (await dockerImagePresent(image)) await importIntoNodes(image, nodes, bus);
    else missing.push(image);
  }
  return missing;
}

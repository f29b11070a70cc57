// Images the stack needs, put straight into each node's containerd: there is
// no registry to pull from, and `kind load` re-imports every time. Loaded
// images stay in the node like kind's do, and go with it; a later run on a
// reused cluster finds them there and skips the import.
import { InfraError } from '../../errors.ts';
import type { EventBus } from '../../core/events.ts';
import { dockerImagePresent, engineReason, execIn, execWithInput, imageArchive, isMissingContainer, type ExecOutput } from './engine.ts';

/** containerd's name for an image given without a registry host. */
export function containerdName(image: string): string {
  const first = image.split('/')[0]!;
  const hasHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasHost ? image : `docker.io/${image.includes('/') ? image : `library/${image}`}`;
}

/** Imports a locally held image into every node that lacks it, the nodes at once (an upgrade loads seven images into each). */
async function importIntoNodes(image: string, nodes: string[], bus: EventBus): Promise<void> {
  const name = containerdName(image);
  await Promise.all(
    nodes.map(async (node) => {
      const held = await nodeHolds(node, name);
      if (held) return;
      if (held === undefined) {
        // A node of an existing cluster that is no container here: it pulls for itself.
        bus.log('debug', `node ${node} is not a local container; it will pull ${image} itself`);
        return;
      }
      const out = await importInto(node, image);
      if (out.exitCode !== 0) throw new InfraError(`loading ${image} into node ${node} failed: ${(out.stderr || out.stdout).trim()}`);
      bus.log('info', `loaded ${image} into ${node}`);
    }),
  );
}

/** Whether the node's containerd holds the image; undefined when the node is no container of this engine. */
async function nodeHolds(node: string, name: string): Promise<boolean | undefined> {
  try {
    const listed = await execIn(node, ['ctr', '-n', 'k8s.io', 'images', 'ls', '-q', `name==${name}`]);
    return listed.exitCode === 0 && listed.stdout.trim() !== '';
  } catch (error) {
    // Any other failure (a stopped node, say): the import is tried, and its failure says why.
    return isMissingContainer(error) ? undefined : false;
  }
}

/** `docker save IMAGE | docker exec -i NODE ctr -n k8s.io images import --digests -`, over the Docker API. */
async function importInto(node: string, image: string): Promise<ExecOutput> {
  try {
    return await execWithInput(node, ['ctr', '-n', 'k8s.io', 'images', 'import', '--digests', '-'], await imageArchive(image));
  } catch (error) {
    return { exitCode: -1, stdout: '', stderr: engineReason(error) };
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

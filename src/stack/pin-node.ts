// The never-ready variant pins the backend to one node: once that node goes,
// its pods can never come back. The node is chosen by what the API says it
// is for, not by how a provider names its nodes.
import { type CoreV1Api, PatchStrategy, setHeaderOptions, type V1Node } from '@kubernetes/client-node';
import { InfraError } from '../errors.ts';
import { callApi } from '../kube/client.ts';
import { nodeRole } from '../kube/nodes.ts';
import { PIN_LABEL } from './sample.ts';

/**
 * The first worker by name, so every run pins the same one. Never the
 * control plane, nor a spare: spares are tainted against the stack's pods,
 * so a backend pinned there would never have run at all.
 */
export function pinNodeOf(nodes: V1Node[]): string | undefined {
  return nodes
    .filter((node) => nodeRole(node.metadata?.labels ?? {}) === 'worker')
    .map((node) => node.metadata?.name ?? '')
    .filter(Boolean)
    .sort((a, b) => a.localeCompare(b))[0];
}

/** Chooses the pin node and labels it; returns its name. */
export async function pinBackend(core: Pick<CoreV1Api, 'listNode' | 'patchNode'>, signal: AbortSignal): Promise<string> {
  const nodes = await callApi('list the nodes', signal, (options) => core.listNode({}, options));
  const node = pinNodeOf(nodes.items);
  if (!node) throw new InfraError('the never-ready variant needs a worker node');
  await labelNode(core, node, 'true', signal);
  return node;
}

/** Takes the pin label off. A node that is gone (a reclaimed spot node) or unreachable is left be: this is cleanup. */
export async function unpin(core: Pick<CoreV1Api, 'patchNode'>, node: string, signal: AbortSignal): Promise<void> {
  await labelNode(core, node, null, signal).catch(() => {});
}

/** A merge patch of the one label: null removes it, and removing one that is not there is no error. */
function labelNode(core: Pick<CoreV1Api, 'patchNode'>, node: string, value: string | null, signal: AbortSignal): Promise<unknown> {
  return callApi(`label node ${node}`, signal, (options) => core.patchNode({ name: node, body: { metadata: { labels: { [PIN_LABEL]: value } } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch, options)));
}

// Undo of a stack deployment: the namespace goes and any node pin is
// removed. It does not wait for the namespace to finish terminating: a
// cluster about to be deleted need not, and a next run on a reused cluster
// waits for it before deploying (see namespace.ts).
import { CoreV1Api } from '@kubernetes/client-node';
import type { RevertContext, RevertHandler } from '../core/reverts.ts';
import { callApi, ifFound, loadKubeConfig } from '../kube/client.ts';
import { MANAGED_BY_LABEL, readNamespace } from './namespace.ts';
import { unpin } from './pin-node.ts';

export interface StackDeletion {
  kubeconfig: string;
  context?: string;
  namespace: string;
  nodes: string[];
}

export const deleteStack: RevertHandler = (args: StackDeletion, ctx) => deleteStackWith(loadKubeConfig(args.kubeconfig, args.context).makeApiClient(CoreV1Api), args, ctx);

export async function deleteStackWith(core: Pick<CoreV1Api, 'readNamespace' | 'deleteNamespace' | 'patchNode'>, args: StackDeletion, ctx: Pick<RevertContext, 'signal' | 'bus'>): Promise<void> {
  const found = await readNamespace(core, args.namespace, ctx.signal);
  // Only a namespace shakedown made (it carries the label) is deleted: a user's own one, on an existing cluster, is theirs.
  if (found && found.metadata?.labels?.[MANAGED_BY_LABEL] !== 'shakedown') {
    ctx.bus.log('warn', `namespace ${args.namespace} was not made by shakedown: left in place, with what the stack applied in it`);
  } else if (found) {
    // The API deletes in the background: this returns as `kubectl delete --wait=false` did.
    await callApi(`delete namespace ${args.namespace}`, ctx.signal, (options) => ifFound(core.deleteNamespace({ name: args.namespace }, options)));
  }
  for (const node of args.nodes) await unpin(core, node, ctx.signal);
}

// The stack's namespace. Whatever goes into it (the sample stack, the user's
// manifests, or both) it gets restricted Pod Security, and it is made when
// the stack is deployed and it is not there. Deleting it is the stack's undo
// (teardown.ts), so making it needs no revert of its own.
import type { CoreV1Api, V1Namespace } from '@kubernetes/client-node';
import { InfraError } from '../errors.ts';
import { abortableBy, callApi, ifFound, statusOf } from '../kube/client.ts';
import { type Progress, waitUntil } from '../kube/wait.ts';

/** Marks what shakedown made, so teardown never deletes a namespace of the user's. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** How long a namespace an earlier run is still deleting is waited for. */
const DELETION_TIMEOUT_MS = 180_000;

export type NamespaceApi = Pick<CoreV1Api, 'readNamespace' | 'createNamespace'>;

export function stackNamespace(name: string): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', [MANAGED_BY_LABEL]: 'shakedown' },
    },
  };
}

/** The namespace, or undefined when there is none. */
export function readNamespace(core: Pick<CoreV1Api, 'readNamespace'>, name: string, signal: AbortSignal): Promise<V1Namespace | undefined> {
  return callApi(`read namespace ${name}`, signal, (options) => ifFound(core.readNamespace({ name }, options)));
}

/**
 * Makes the namespace unless it exists. One an earlier run is still
 * deleting is waited out first (a reused cluster); one that is there and
 * active is left as it is, labels included.
 */
export async function ensureNamespace(core: NamespaceApi, name: string, signal: AbortSignal, wait: { timeoutMs: number; pollMs?: number } = { timeoutMs: DELETION_TIMEOUT_MS }): Promise<'created' | 'present'> {
  const found = await readNamespace(core, name, signal);
  if (found?.status?.phase === 'Terminating') {
    const gone = await waitUntil((until) => ifFound(core.readNamespace({ name }, abortableBy(until))), deletionProgress, { ...wait, signal });
    if (!gone.done) throw new InfraError(`namespace ${name} is still being deleted (by an earlier run?) after ${duration(wait.timeoutMs)}: ${gone.why}`);
  } else if (found) {
    return 'present';
  }
  await callApi(`create namespace ${name}`, signal, (options) => core.createNamespace({ body: stackNamespace(name) }, options).catch(unlessAlreadyThere));
  return 'created';
}

/** Made meanwhile by someone else (409 AlreadyExists): it exists, which is all the stack needs. */
function unlessAlreadyThere(error: unknown): undefined {
  if (statusOf(error) === 409) return undefined;
  throw error;
}

/** Gone, or no longer Terminating (made again meanwhile), is done; one still terminating says what holds it up: the namespace controller's conditions name what remains. */
export function deletionProgress(namespace: V1Namespace | undefined): Progress {
  if (!namespace || namespace.status?.phase !== 'Terminating') return { state: 'done', status: 'deleted' };
  const holding = (namespace.status.conditions ?? []).filter((c) => c.status === 'True' && c.message).map((c) => c.message);
  return { state: 'waiting', status: ['still Terminating', ...holding].join('; ') };
}

/** "3 minutes", as the message always said; seconds for the short waits of tests. */
function duration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000}s`;
}

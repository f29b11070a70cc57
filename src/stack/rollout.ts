// The stack's deployments, waited for until rolled out. A failure shows the
// namespace's pods, which usually say why (ImagePullBackOff, Pending, a
// readiness probe that never passes).
import type { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { InfraError } from '../errors.ts';
import { abortableBy, apiMessage, callApi } from '../kube/client.ts';
import { waitForDeployment } from '../kube/rollout.ts';
import { podTable } from '../kube/tables.ts';
import { describeFailure } from '../kube/wait.ts';

/** As `kubectl rollout status --timeout=180s` had it, per deployment. */
const ROLLOUT_TIMEOUT_MS = 180_000;
/** Listing the pods for a failure message must not hang the failure itself. */
const LISTING_TIMEOUT_MS = 15_000;

export interface StackApi {
  core: Pick<CoreV1Api, 'listNamespacedPod'>;
  apps: Pick<AppsV1Api, 'readNamespacedDeployment' | 'listNamespacedDeployment'>;
}

/** Every deployment in the namespace, by name. */
export async function deploymentNames(api: StackApi, namespace: string, signal: AbortSignal): Promise<string[]> {
  const list = await callApi(`list the deployments in namespace ${namespace}`, signal, (options) => api.apps.listNamespacedDeployment({ namespace }, options));
  return list.items.map((d) => d.metadata?.name ?? '').filter(Boolean);
}

export async function waitForRollout(api: StackApi, namespace: string, name: string, signal: AbortSignal, wait: { timeoutMs: number; pollMs?: number } = { timeoutMs: ROLLOUT_TIMEOUT_MS }): Promise<void> {
  const outcome = await waitForDeployment(api.apps, namespace, name, { ...wait, signal });
  if (outcome.done) return;
  throw new InfraError(`deployment ${name} did not become ready: ${describeFailure(outcome, wait.timeoutMs)}\n${await podsOf(api, namespace)}`);
}

/** The namespace's pods as a table, or why they could not be listed. */
async function podsOf(api: StackApi, namespace: string): Promise<string> {
  try {
    const pods = await api.core.listNamespacedPod({ namespace }, abortableBy(AbortSignal.timeout(LISTING_TIMEOUT_MS)));
    return podTable(pods.items);
  } catch (error) {
    return `(the pods of namespace ${namespace} could not be listed: ${apiMessage(error)})`;
  }
}

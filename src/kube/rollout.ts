// Rollouts through the API: when a Deployment or DaemonSet has finished
// rolling out (kubectl's own rules for `rollout status`, with its words),
// waiting for that, and restarting a Deployment the way `kubectl rollout
// restart` does.
import { type AppsV1Api, PatchStrategy, setHeaderOptions, type V1DaemonSet, type V1Deployment } from '@kubernetes/client-node';
import { abortableBy, callApi } from './client.ts';
import { type Progress, type WaitOptions, type WaitOutcome, waitUntil } from './wait.ts';

/** The annotation `kubectl rollout restart` sets: a new value is a new pod template, so every pod is replaced. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** The controller gave up: the Progressing condition's reason once progressDeadlineSeconds passes. */
const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

/** The controller has seen the current spec: status describes it, not the one before. */
function observed(object: { metadata?: { generation?: number }; status?: { observedGeneration?: number } }): boolean {
  return (object.metadata?.generation ?? 0) <= (object.status?.observedGeneration ?? 0);
}

/** Rolled out: every replica updated, none of the old ones left, and the updated ones available. */
export function deploymentProgress(deployment: V1Deployment): Progress {
  const name = deployment.metadata?.name ?? '';
  if (!observed(deployment)) return { state: 'waiting', status: `Waiting for deployment "${name}" spec update to be observed...` };
  const status = deployment.status ?? {};
  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) return { state: 'failed', status: `deployment "${name}" exceeded its progress deadline` };
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const total = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired) return { state: 'waiting', status: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...` };
  if (total > updated) return { state: 'waiting', status: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...` };
  if (available < updated) return { state: 'waiting', status: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...` };
  return { state: 'done', status: `deployment "${name}" successfully rolled out` };
}

/**
 * Rolled out: a pod of the current template on every node that should run
 * one, and each available. kubectl refuses an OnDelete DaemonSet outright;
 * here it is judged the same way, which on a fresh cluster (its pods never
 * had an older template) means its pods run.
 */
export function daemonSetProgress(daemonSet: V1DaemonSet): Progress {
  const name = daemonSet.metadata?.name ?? '';
  if (!observed(daemonSet)) return { state: 'waiting', status: `Waiting for daemon set "${name}" spec update to be observed...` };
  const desired = daemonSet.status?.desiredNumberScheduled ?? 0;
  const updated = daemonSet.status?.updatedNumberScheduled ?? 0;
  const available = daemonSet.status?.numberAvailable ?? 0;
  if (updated < desired) return { state: 'waiting', status: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
  if (available < desired) return { state: 'waiting', status: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
  return { state: 'done', status: `daemon set "${name}" successfully rolled out` };
}

export function waitForDeployment(apps: Pick<AppsV1Api, 'readNamespacedDeployment'>, namespace: string, name: string, options: WaitOptions): Promise<WaitOutcome> {
  return waitUntil((signal) => apps.readNamespacedDeployment({ namespace, name }, abortableBy(signal)), deploymentProgress, options);
}

export function waitForDaemonSet(apps: Pick<AppsV1Api, 'readNamespacedDaemonSet'>, namespace: string, name: string, options: WaitOptions): Promise<WaitOutcome> {
  return waitUntil((signal) => apps.readNamespacedDaemonSet({ namespace, name }, abortableBy(signal)), daemonSetProgress, options);
}

/** The patch `kubectl rollout restart` sends: only the pod template's restartedAt annotation changes. */
export function restartPatch(now: Date): object {
  return { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: now.toISOString() } } } } };
}

/** Replaces every pod of the deployment, as `kubectl rollout restart` does; wait for it with waitForDeployment. */
export async function restartDeployment(apps: Pick<AppsV1Api, 'patchNamespacedDeployment'>, namespace: string, name: string, signal: AbortSignal, now = new Date()): Promise<void> {
  await callApi(`restart deployment ${namespace}/${name}`, signal, (options) => apps.patchNamespacedDeployment({ namespace, name, body: restartPatch(now) }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, options)));
}

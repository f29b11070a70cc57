// Pod facts read off the API's Pod objects.
import type { V1Pod } from '@kubernetes/client-node';

/** The Ready condition is True: the kubelet says the pod can serve. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** When the pod last turned Ready, if it is Ready. */
export function readySince(pod: V1Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  return ready?.lastTransitionTime ? new Date(ready.lastTransitionTime as unknown as string).getTime() : undefined;
}

/**
 * The Ready condition was written before its node last went down: the
 * status is the old kubelet's, not yet confirmed by the one that came back.
 */
export function readySinceBefore(pod: V1Pod, lastStopped: number | undefined): boolean {
  if (lastStopped === undefined) return false;
  const since = readySince(pod);
  return since !== undefined && since < lastStopped;
}

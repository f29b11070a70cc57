// The kubelet records each failed readiness probe as an Event on the pod
// (reason Unhealthy): its message says what the probe got back (a status
// code, a refused connection), which the pod's status never does.
import type { CoreV1Event, KubeConfig } from '@kubernetes/client-node';
import type { ProbeFailures } from './explain.ts';
import { eventTime } from '../shared/events.ts';

const READINESS_FAILED = 'Readiness probe failed:';
/** A verdict waits no longer than this for the events: they only add detail. */
const READ_TIMEOUT_MS = 5_000;

/** The latest readiness failure of each pod in the namespace; none if the events cannot be read. */
export async function readProbeFailures(config: KubeConfig, namespace: string): Promise<ProbeFailures> {
  // Loaded here: `validate` reaches this folder and never needs the client.
  const [{ CoreV1Api }, { abortableBy }] = await Promise.all([import('@kubernetes/client-node'), import('../../kube/client.ts')]);
  try {
    const events = await config.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, fieldSelector: 'reason=Unhealthy' }, abortableBy(AbortSignal.timeout(READ_TIMEOUT_MS)));
    return lastProbeFailures(events.items);
  } catch {
    return new Map();
  }
}

export function lastProbeFailures(events: CoreV1Event[]): Map<string, string> {
  const latest = new Map<string, { at: number; message: string }>();
  for (const event of events) {
    if (event.involvedObject.kind !== 'Pod' || !event.involvedObject.name || !event.message?.startsWith(READINESS_FAILED)) continue;
    const at = eventTime(event);
    const known = latest.get(event.involvedObject.name);
    if (!known || at >= known.at) latest.set(event.involvedObject.name, { at, message: event.message.slice(READINESS_FAILED.length).trim().split('\n')[0]! });
  }
  return new Map([...latest].map(([pod, { message }]) => [pod, message]));
}

// The kubelet records each failed readiness probe as an Event on the pod
// (reason Unhealthy): its message says what the probe got back (a status
// code, a refused connection), which the pod's status never does.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ProbeFailures } from './explain.ts';
import { lastProbeFailures, listEvents } from '../shared/events.ts';

/** A verdict waits no longer than this for the events: they only add detail. */
const READ_TIMEOUT_MS = 5_000;

/** The latest readiness failure of each pod in the namespace; none if the events cannot be read. */
export async function readProbeFailures(config: KubeConfig, namespace: string): Promise<ProbeFailures> {
  try {
    return lastProbeFailures(await listEvents(config, namespace, AbortSignal.timeout(READ_TIMEOUT_MS), 'reason=Unhealthy'), 'Readiness');
  } catch {
    return new Map();
  }
}

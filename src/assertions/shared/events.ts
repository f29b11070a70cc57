// The kubelet's Events on the stack's pods: when each happened, as its
// recorder stamped it, and what a failed probe got back, which the pod's
// status never says.
import type { CoreV1Event, KubeConfig } from '@kubernetes/client-node';

/** The latest time an Event was seen (watch and list hand times over as strings or Dates; either parses). */
export function eventTime(event: CoreV1Event): number {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return at ? new Date(at as unknown as string).getTime() : 0;
}

/** Whether the Event (a fold of repeats, first to last) happened at some point in the span. */
export function eventWithin(event: CoreV1Event, span: { start: number; end: number }): boolean {
  const first = event.firstTimestamp ? new Date(event.firstTimestamp as unknown as string).getTime() : eventTime(event);
  return eventTime(event) >= span.start && first <= span.end;
}

/** The namespace's Events (`reason=Unhealthy` and the like narrows them). */
export async function listEvents(config: KubeConfig, namespace: string, signal: AbortSignal, fieldSelector?: string): Promise<CoreV1Event[]> {
  // Loaded here: `validate` reaches the assertions and never needs the client.
  const [{ CoreV1Api }, { abortableBy }] = await Promise.all([import('@kubernetes/client-node'), import('../../kube/client.ts')]);
  return (await config.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, ...(fieldSelector && { fieldSelector }) }, abortableBy(signal))).items;
}

/** Each pod's latest failure of that probe (in the span, if given), without its prefix or a body after it. */
export function lastProbeFailures(events: CoreV1Event[], probe: 'Readiness' | 'Liveness', span?: { start: number; end: number }): Map<string, string> {
  const prefix = `${probe} probe failed:`;
  const latest = new Map<string, { at: number; message: string }>();
  for (const event of events) {
    if (event.involvedObject.kind !== 'Pod' || !event.involvedObject.name || !event.message?.startsWith(prefix) || (span && !eventWithin(event, span))) continue;
    const at = eventTime(event);
    const known = latest.get(event.involvedObject.name);
    if (!known || at >= known.at) latest.set(event.involvedObject.name, { at, message: event.message.slice(prefix.length).trim().split('\n')[0]! });
  }
  return new Map([...latest].map(([pod, { message }]) => [pod, message]));
}

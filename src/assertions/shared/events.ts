// When an Event happened, as its recorder stamped it.
import type { CoreV1Event } from '@kubernetes/client-node';

/** The latest time an Event was seen (watch and list hand times over as strings or Dates; either parses). */
export function eventTime(event: CoreV1Event): number {
  const at = event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return at ? new Date(at as unknown as string).getTime() : 0;
}

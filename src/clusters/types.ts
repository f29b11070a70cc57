// The cluster port: what the runner and `shakedown cleanup` ask of a provider (kind, existing).
import type { ClusterHandle, ClusterRef } from '../core/cluster.ts';
import type { EventBus } from '../core/events.ts';
import type { ClusterSpecT } from '../scenario/schema.ts';

export interface ClusterProvider {
  /** Creates the cluster, or reuses a matching running one when asked. */
  ensure(spec: ClusterSpecT, options: { name: string; runId: string; reuse: boolean; signal: AbortSignal; bus: EventBus }): Promise<{ handle: ClusterHandle; created: boolean }>;
  /** Reconnects to a cluster named in a ledger (for `shakedown cleanup`). */
  attach(ref: ClusterRef): Promise<ClusterHandle>;
}

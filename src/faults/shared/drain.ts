// Draining one pod the way a node drain does: through the Eviction API, so
// PodDisruptionBudgets apply, retrying their refusals (HTTP 429) until the
// deadline. spot-drain and rolling-upgrade drain alike.
import pRetry, { AbortError } from 'p-retry';
import type { PodSummary } from '../../core/kube-api.ts';
import type { FaultContext } from '../types.ts';

export interface DrainRecord {
  pod: string;
  /** How the pod left: evicted (PDBs applied), deleted by the node's shutdown, or lost with the node. */
  outcome: 'evicted' | 'gone' | 'blocked-at-termination' | 'deleted-by-shutdown' | 'lost-with-node';
  attempts: number;
  /** The last refusal's message, naming the PDB that blocked. */
  blockedBy?: string;
  at?: number;
}

export async function drainPod(ctx: FaultContext, pod: PodSummary, deadline: AbortSignal): Promise<DrainRecord> {
  const record: DrainRecord = { pod: `${pod.namespace}/${pod.name}`, outcome: 'blocked-at-termination', attempts: 0 };
  try {
    const result = await pRetry(
      async () => {
        record.attempts++;
        const outcome = await ctx.kube.evictPod(pod.namespace, pod.name, deadline);
        if (outcome.outcome === 'blocked') {
          if (!record.blockedBy) ctx.bus.log('warn', `eviction of ${record.pod} refused: ${outcome.message}`);
          record.blockedBy = outcome.message;
          throw new Error(outcome.message);
        }
        if (outcome.outcome === 'evicted') ctx.disrupt({ kind: 'pods-evicted', pods: [record.pod] });
        return outcome.outcome;
      },
      // 429s are retried with backoff until the notice runs out; kubectl
      // drain waits 5 s between tries, clouds' handlers about the same.
      { retries: Number.MAX_SAFE_INTEGER, minTimeout: 500, maxTimeout: 5000, factor: 1.5, signal: deadline, shouldRetry: ({ error }) => !(error instanceof AbortError) },
    );
    record.outcome = result;
    record.at = Date.now();
  } catch {
    // deadline reached (or run aborted) while still blocked: the node goes anyway
  }
  return record;
}

/** What a drain evicts: not DaemonSet pods (their controller puts them back at once), not mirror pods, not pods already leaving. */
export function evictable(pod: PodSummary): boolean {
  return pod.ownerKind !== 'DaemonSet' && !pod.mirror && !pod.deleting;
}

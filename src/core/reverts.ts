// The revert vocabulary: what a fault, the stack or an assertion records
// before it changes the cluster, and what undoes it. The runner's
// CleanupStack keeps the record (in memory and in the ledger); plugins only
// see the `Reverts` face of it.
import type { NodeRuntime } from './cluster.ts';
import type { EventBus } from './events.ts';
import type { KubeApi } from './kube-api.ts';

export interface RevertAction {
  id: string;
  /** Registry key of the handler, e.g. `spot-drain/uncordon`. */
  handler: string;
  args: Record<string, unknown>;
  /** Which fault (or 'run') the action belongs to; unwound together. */
  scope: string;
  description: string;
}

export interface RevertContext {
  signal: AbortSignal;
  bus: EventBus;
  kube?: KubeApi;
  nodes?: NodeRuntime;
}

export type RevertHandler = (args: any, ctx: RevertContext) => Promise<void>;
export type HandlerLookup = (key: string) => RevertHandler | undefined;

/** Where a change's undo is recorded before the change is made. */
export interface Reverts {
  /** Records a revert; call it before applying the change it undoes. */
  register(scope: string, handler: string, args: Record<string, unknown>, description: string): RevertAction;
  /** Drops a revert whose change turned out not to be needed (e.g. nothing was applied). */
  forget(action: RevertAction): void;
}

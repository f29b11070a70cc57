// What a fault type is. A new fault is one folder exporting a FaultType and
// one line in ./registry.ts.
import type { z } from 'zod';
import type { CleanupStack, RevertHandler } from '../runner/cleanup.ts';
import type { EventBus } from '../runner/events.ts';
import type { KubeApi } from '../kube/api.ts';
import type { NodeRuntime } from '../clusters/types.ts';
import type { ReportDisruption } from '../core/disruptions.ts';

export interface PlannedFault {
  id: string;
  type: string;
  /** Offset from load start, ms. */
  at: number;
  /** How long the fault stays applied before it is reverted, ms. */
  duration?: number;
  params: unknown;
  /** Assertion names judged inside this fault's window. */
  assert: string[];
}

export interface FaultContext {
  runId: string;
  fault: PlannedFault;
  /** Aborted on interruption: stop applying, the runner reverts. */
  signal: AbortSignal;
  bus: EventBus;
  /** The stack's namespace. */
  namespace: string;
  kube: KubeApi;
  nodes: NodeRuntime;
  /** Register a revert here BEFORE making the change it undoes. */
  cleanup: CleanupStack;
  /**
   * Tells the run what this fault just did to the workload (evictions begin,
   * pods evicted or deleted, nodes stopped or cut off). Assertions judge from
   * it, so every change to nodes or pods must be reported, right after it is made.
   */
  disrupt: ReportDisruption;
  /** Records a fact for the report (e.g. which pod blocked the drain). */
  detail(key: string, value: unknown): void;
}

export interface FaultType<P = unknown> {
  type: string;
  summary: string;
  params: z.ZodType<P, any>;
  /** Human lines for --dry-run and the report: what will happen, in order. */
  describe(params: P, fault: PlannedFault): string[];
  /**
   * Applies the fault and returns when its active window is over (or the
   * signal aborts). Reverts registered through ctx.cleanup under the fault's
   * scope are unwound by the runner afterwards.
   */
  inject(ctx: FaultContext, params: P): Promise<void>;
  /** Named, serialisable reverts, replayable by `shakedown cleanup` after a crash. */
  reverts: Record<string, RevertHandler>;
}

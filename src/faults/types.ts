// What a fault type is. A new fault is one folder exporting a FaultType and
// one line in ./registry.ts.
import type { z } from 'zod';
import type { RevertHandler, Reverts } from '../core/reverts.ts';
import type { EventBus } from '../core/events.ts';
import type { KubeApi } from '../core/kube-api.ts';
import type { NodeRuntime } from '../core/cluster.ts';
import type { ReportDisruption } from '../core/disruptions.ts';
import type { Random } from '../core/random.ts';
import type { PlannedFault } from '../scenario/model.ts';

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
  cleanup: Reverts;
  /**
   * Tells the run what this fault just did to the workload (evictions begin,
   * pods evicted or deleted, nodes stopped or cut off). Assertions judge from
   * it, so every change to nodes or pods must be reported, right after it is made.
   */
  disrupt: ReportDisruption;
  /** Records a fact for the report (e.g. which pod blocked the drain). */
  detail(key: string, value: unknown): void;
  /** This fault's own stream of the run's seed: every choice made by chance draws from it. */
  random: Random;
  /** Puts images this machine holds into every node (no registry here); returns those it could not provide. */
  loadImages(images: string[]): Promise<string[]>;
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
  /**
   * Params a run may vary from the command line, each with the values it
   * takes: `shakedown run FILE --provider aws,gcp` runs the scenario once per
   * value, with that value set on every fault whose type declares `provider`.
   */
  variedBy?: Record<string, readonly string[]>;
  /**
   * What the params aim at, so the runner can say before any fault that a
   * selector matches no pod or a node does not exist (and which field says so).
   */
  aims?(params: P): FaultAim;
}

export interface FaultAim {
  /** Pods by label selector; `field` is the param that holds it. */
  pods?: { selector: string; namespace?: string; field: string };
  /** Nodes by name. */
  nodes?: { names: string[]; field: string };
}

// What an assertion type is. A new assertion is one folder exporting an
// AssertionType and one line in ./registry.ts.
import type { KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { EventBus } from '../core/events.ts';
import type { Explanation } from '../core/result.ts';
import type { Reverts } from '../core/reverts.ts';
import type { KubeApi } from '../core/kube-api.ts';
import type { LoadMetrics } from '../load/metrics.ts';
import type { DisruptionView } from '../core/disruptions.ts';
import type { PlannedAssertion } from '../scenario/model.ts';

export interface Window {
  /** 'steady-state', a fault id, or 'recovery'. */
  id: string;
  start: number;
  end: number;
  faultType?: string;
}

export interface Outcome {
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  details?: Record<string, unknown>;
  /** A failure whose cause is known says it, and what to change; an unknown cause says nothing more. */
  explanation?: Explanation;
}

export interface AssertionContext {
  runId: string;
  assertion: PlannedAssertion;
  namespace: string;
  signal: AbortSignal;
  bus: EventBus;
  kube: KubeApi;
  /** For watches (informers) on the real API. */
  kubeConfig: KubeConfig;
  /** Present when the scenario has load. */
  load?: LoadMetrics;
  /** NetworkPolicies the stack declares (its manifests), as Kubernetes objects: the intended isolation. */
  declaredPolicies?: unknown[];
  /** Hops of the load path the stack's own policies deny, each with its fix (read once the stack was ready). */
  pathCuts?: Explanation[];
  /** What the faults have disrupted: which nodes are down, which faults evict, when each first hit. */
  disruptions: DisruptionView;
  /** Register a revert here before creating anything the assertion needs (e.g. probe pods). */
  cleanup: Reverts;
  /** Emits a time-series sample for the report timeline. */
  sample(series: string, value: number): void;
  /** Puts images this machine holds into the nodes (no registry here); returns those it could not provide. */
  loadImages(images: string[]): Promise<string[]>;
}

/** A running observer: started once, asked for a verdict per window. */
export interface AssertionMonitor {
  steadyState?(signal: AbortSignal): Promise<Outcome>;
  judgeWindow?(window: Window): Promise<Outcome>;
  /** May wait (up to the assertion's own deadline) for the system to recover. */
  recovery?(signal: AbortSignal, faultsEndedAt: number): Promise<Outcome>;
  stop(): Promise<void>;
}

export interface AssertionType<P = unknown> {
  type: string;
  summary: string;
  params: z.ZodType<P, any>;
  /** Scenario sections this assertion cannot work without. */
  requires?: Array<'load'>;
  describe(params: P): string;
  start(ctx: AssertionContext, params: P): Promise<AssertionMonitor>;
}

// What the runner needs from the outside world, as narrow interfaces: the
// real ones boot kind, apply manifests and run k6; unit tests pass fakes.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterSpecT } from '../scenario/schema.ts';
import type { Scenario } from '../scenario/model.ts';
import type { ClusterHandle, ClusterRef } from '../clusters/types.ts';
import type { KubeApi } from '../kube/api.ts';
import type { LoadMetrics } from '../load/metrics.ts';
import type { EventBus } from './events.ts';
import type { CleanupStack } from './cleanup.ts';
import type { NodeObservation } from '../core/disruptions.ts';

export interface ClusterProvider {
  /** Creates the cluster, or reuses a matching running one when asked. */
  ensure(spec: ClusterSpecT, options: { name: string; runId: string; reuse: boolean; signal: AbortSignal; bus: EventBus }): Promise<{ handle: ClusterHandle; created: boolean }>;
  /** Reconnects to a cluster named in a ledger (for `shakedown cleanup`). */
  attach(ref: ClusterRef): Promise<ClusterHandle>;
}

export interface StackDeployer {
  /** Applies the stack and waits until it is ready; returns the deployments to watch. */
  /** Registers its own undo (delete the namespace) on `cleanup` before applying anything. */
  deploy(scenario: Scenario, cluster: ClusterHandle, options: { signal: AbortSignal; bus: EventBus; cleanup: CleanupStack }): Promise<StackInfo>;
}

export interface StackInfo {
  namespace: string;
  deployments: string[];
  /** NetworkPolicies the stack's manifests declare (for the sample stack: its design, whatever the variant). */
  declaredPolicies?: unknown[];
  /** Where load goes: a URL reachable from this machine. */
  targetUrl?: string;
}

export interface LoadRun {
  metrics: LoadMetrics;
  /** Resolves when the load has run its course (or was stopped). */
  done: Promise<LoadOutcome>;
  stop(): Promise<void>;
}

export interface LoadOutcome {
  requests: number;
  failures: number;
  /** k6 judged the scenario's load.thresholds: what each said, when there were any. */
  thresholds?: Array<{ metric: string; expression: string; ok: boolean; observed: string }>;
}

export interface LoadRunner {
  start(scenario: Scenario, stack: StackInfo, options: { signal: AbortSignal; bus: EventBus; outDir: string }): Promise<LoadRun>;
}

export interface RunnerPorts {
  cluster: ClusterProvider;
  kube(handle: ClusterHandle): KubeApi;
  kubeConfig(handle: ClusterHandle): KubeConfig;
  stack: StackDeployer;
  load: LoadRunner;
  /** Streams what the API says of each node (Ready, last heartbeat), so the run knows when a node is back. */
  watchNodes?(handle: ClusterHandle, onNode: (node: NodeObservation) => void): Promise<{ stop(): Promise<void> }>;
}

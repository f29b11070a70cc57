// The stack port: what the runner asks of whatever deploys the workload under test.
import type { ClusterHandle } from '../core/cluster.ts';
import type { EventBus } from '../core/events.ts';
import type { Reverts } from '../core/reverts.ts';
import type { Scenario } from '../scenario/model.ts';
import type { PathCut } from './load-path/judge.ts';

export interface StackDeployer {
  /** Applies the stack and waits until it is ready; returns the deployments to watch. */
  /** Registers its own undo (delete the namespace) on `cleanup` before applying anything. */
  deploy(scenario: Scenario, cluster: ClusterHandle, options: { signal: AbortSignal; bus: EventBus; cleanup: Reverts }): Promise<StackInfo>;
}

export interface StackInfo {
  namespace: string;
  deployments: string[];
  /** NetworkPolicies the stack's manifests declare (for the sample stack: its design, whatever the variant). */
  declaredPolicies?: unknown[];
  /** Where load goes: a URL reachable from this machine. */
  targetUrl?: string;
  /** Why the load's target cannot serve (no such Service, port, or Ready endpoint): the steady state fails on it. */
  targetProblem?: string;
  /** Hops of the load path the stack's own policies deny; one at the entry fails the steady state. */
  pathCuts?: PathCut[];
}

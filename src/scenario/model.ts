// The normalised scenario the planner and runner work from: durations in
// ms, defaults filled in, fault and assertion params parsed by their types.
import type { PlannedAssertion } from '../assertions/types.ts';
import type { PlannedFault } from '../faults/types.ts';
import type { ClusterSpecT, LoadSpecT, ScenarioDoc } from './schema.ts';

export interface Scenario {
  file: string;
  name: string;
  description?: string;
  cluster: ClusterSpecT;
  stack: ScenarioDoc['stack'];
  load?: LoadSpecT;
  faults: PlannedFault[];
  assertions: PlannedAssertion[];
  recoveryTimeout: number;
  report: ScenarioDoc['report'];
}

export interface Suite {
  file: string;
  name: string;
  cluster: ClusterSpecT;
  scenarios: Scenario[];
  repeat: number;
  /** Worse than the history's median by more than this fraction: regressed. */
  regressionMargin: number;
}

// The normalised scenario the planner and runner work from: durations in
// ms, defaults filled in, fault and assertion params parsed by their types.
import type { ClusterSpecT, LoadSpecT, ScenarioDoc } from './schema.ts';

/** A fault as the scenario plans it; its params already parsed by its type. */
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

/** An assertion as the scenario plans it. */
export interface PlannedAssertion {
  name: string;
  type: string;
  params: unknown;
}

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

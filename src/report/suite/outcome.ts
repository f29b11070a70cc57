// A suite's night as the reports see it: each scenario's status against
// history and the runs (repeats) behind it, and what each reset between
// scenarios found. Built by the CLI; every suite report is a pure function of it.
import type { ScenarioStatus } from '../../history/status.ts';
import type { RunResult } from '../../core/result.ts';

export interface SuiteRun {
  label: string;
  result: RunResult;
  /** The run's own report directory. */
  reportDir: string;
}

export interface SuiteScenario {
  name: string;
  file: string;
  status: ScenarioStatus;
  runs: SuiteRun[];
}

/** What a reset between a suite's runs found and did (the runner's reset writes it). */
export interface ResetReport {
  /** The cluster is in the known state: nothing in `problems`. */
  clean: boolean;
  /** Debris found, each named. */
  found: string[];
  /** What was done about it. */
  repaired: string[];
  /** What was waited out (a node coming back, a namespace going). */
  waited: string[];
  /** What is still wrong at the deadline. */
  problems: string[];
  tookMs: number;
}

export interface ResetRecord extends ResetReport {
  /** The run the reset came before. */
  before: string;
}

export interface SuiteOutcome {
  suite: string;
  file: string;
  /** This night's id: the history's batch, and the suite report's directory name. */
  batch: string;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  scenarios: SuiteScenario[];
  resets: ResetRecord[];
  /** The cluster was rebuilt once because a reset could not bring it back. */
  rebuilt?: string;
  historyWarnings: string[];
}

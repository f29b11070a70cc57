// The run's outcome as one JSON document (results.json). Every report format
// is a pure function of this value, so reports can be re-rendered later.
import type { AssertionStatus, FaultState, Phase, RunEvent, Verdict } from './events.ts';

export interface SeriesPoint {
  t: number;
  v: number;
}

export interface PhaseRecord {
  phase: Phase;
  startedAt: number;
  finishedAt?: number;
  status: 'passed' | 'failed' | 'skipped' | 'running';
  message?: string;
}

export interface FaultRecord {
  id: string;
  type: string;
  /** Scripted offset from load start, in ms. */
  at: number;
  /** Scripted duration in ms, when the fault has one. */
  duration?: number;
  startedAt?: number;
  endedAt?: number;
  state: FaultState;
  message?: string;
  details?: Record<string, unknown>;
}

/** Why a verdict failed, in the stack's own terms, and what to change. */
export interface Explanation {
  /** The cause, naming the object (and field) that decides it. */
  cause: string;
  /** One line: which object, which field, to what. Absent where the change is not shakedown's to say. */
  fix?: string;
}

export interface AssertionRecord {
  /** Assertion name from the scenario. */
  name: string;
  type: string;
  /** The window judged: 'steady-state', a fault id, or 'recovery'. */
  window: string;
  status: Extract<AssertionStatus, 'passed' | 'failed' | 'skipped'>;
  message: string;
  /** Seconds the check took to settle, when relevant. */
  durationSeconds?: number;
  details?: Record<string, unknown>;
  /** On a failure whose cause is known: the cause and the fix. */
  explanation?: Explanation;
}

export interface RunResult {
  schemaVersion: 1;
  runId: string;
  scenario: string;
  file: string;
  description?: string;
  cluster?: { provider: string; name: string; cni?: string; kubernetesVersion?: string; nodes?: number /** Each node's kubelet version, when read (they lag the API server in an upgrade). */; kubelets?: Record<string, string> };
  startedAt: number;
  finishedAt: number;
  /** Wall-clock time at which load started; fault offsets are relative to it. */
  loadStartedAt?: number;
  verdict: Verdict;
  exitCode: number;
  error?: string;
  /** The seed of shakedown's own choices: `shakedown run FILE --seed N` makes them again. */
  seed?: number;
  phases: PhaseRecord[];
  faults: FaultRecord[];
  assertions: AssertionRecord[];
  /** Time series by name, e.g. 'ready:frontend', 'k6:rps', 'k6:error-rate'. */
  series: Record<string, SeriesPoint[]>;
  events: RunEvent[];
}

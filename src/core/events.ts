// Every observable thing a run does is one of these events. The progress
// view, the NDJSON output, the ledger-independent run log and the reports all
// read this one stream: a discriminated union with one formatter per kind.

import type { Explanation } from './result.ts';

export type Phase = 'preflight' | 'cluster' | 'stack' | 'steady-state' | 'load' | 'faults' | 'recovery' | 'verdict' | 'report' | 'teardown';

export const PHASES: readonly Phase[] = ['preflight', 'cluster', 'stack', 'steady-state', 'load', 'faults', 'recovery', 'verdict', 'report', 'teardown'];

export type FaultState = 'scheduled' | 'injecting' | 'active' | 'reverting' | 'reverted' | 'failed';
export type AssertionStatus = 'pending' | 'passing' | 'failing' | 'passed' | 'failed' | 'skipped';

interface Base {
  /** Milliseconds since the Unix epoch. */
  t: number;
}

export type RunEvent =
  | (Base & { kind: 'run-started'; runId: string; scenario: string; file: string; dryRun: boolean })
  | (Base & { kind: 'phase'; phase: Phase; status: 'started' | 'finished' | 'failed' | 'skipped'; message?: string })
  | (Base & { kind: 'plan'; lines: string[] })
  | (Base & { kind: 'countdown'; faultId: string; type: string; startsAt: number })
  | (Base & {
      kind: 'fault';
      faultId: string;
      type: string;
      state: FaultState;
      message?: string;
      /** Marks the start of a voluntary (evictions) or involuntary (node lost) disruption. */
      disruption?: 'voluntary' | 'involuntary';
      /** Nodes the disruption acts on. */
      nodes?: string[];
    })
  | (Base & { kind: 'assertion'; assertion: string; type: string; status: AssertionStatus; message?: string; window?: string; explanation?: Explanation })
  | (Base & { kind: 'sample'; series: string; value: number; labels?: Record<string, string> })
  | (Base & { kind: 'cleanup'; action: string; ok: boolean; message?: string })
  | (Base & { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string })
  | (Base & { kind: 'run-finished'; verdict: Verdict; exitCode: number; message?: string });

export type Verdict = 'passed' | 'failed' | 'error' | 'interrupted' | 'planned';

export type EventKind = RunEvent['kind'];
export type EventOf<K extends EventKind> = Extract<RunEvent, { kind: K }>;

/** Distributes the union over Omit so each member keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EventInput = DistributiveOmit<RunEvent, 't'> & { t?: number };

export type Listener = (event: RunEvent) => void;

/** A tiny synchronous bus: emit stamps the time, listeners never throw back. */
export class EventBus {
  readonly #listeners = new Set<Listener>();
  readonly history: RunEvent[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(input: EventInput): RunEvent {
    const event = { ...input, t: input.t ?? this.#now() } as RunEvent;
    this.history.push(event);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken view must never break the run it is showing.
      }
    }
    return event;
  }

  log(level: EventOf<'log'>['level'], message: string): void {
    this.emit({ kind: 'log', level, message });
  }
}

// The load port: what the runner asks of the load generator (k6), and what it hands back.
import type { EventBus } from '../core/events.ts';
import type { Scenario } from '../scenario/model.ts';
import type { StackInfo } from '../stack/types.ts';
import type { LoadMetrics } from './metrics.ts';

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

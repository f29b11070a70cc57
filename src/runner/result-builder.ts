// Folds the event history and the runner's records into one RunResult.
import type { AssertionRecord, FaultRecord, PhaseRecord, RunResult, SeriesPoint } from '../report/result.ts';
import type { Scenario } from '../scenario/model.ts';
import type { RunEvent, Verdict } from './events.ts';

const HELD = ['ready:', 'desired:', 'pdb:', 'hpa:'];

export function buildResult(input: {
  runId: string;
  scenario: Scenario;
  startedAt: number;
  loadStartedAt?: number;
  verdict: Verdict;
  exitCode: number;
  error?: string;
  faults: FaultRecord[];
  assertions: AssertionRecord[];
  events: RunEvent[];
  cluster?: RunResult['cluster'];
}): RunResult {
  const phases: PhaseRecord[] = [];
  const series: Record<string, SeriesPoint[]> = {};
  for (const event of input.events) {
    if (event.kind === 'phase') {
      if (event.status === 'started') phases.push({ phase: event.phase, startedAt: event.t, status: 'running' });
      else {
        const open = phases.findLast((p) => p.phase === event.phase && p.status === 'running');
        const target = open ?? phases[phases.push({ phase: event.phase, startedAt: event.t, status: 'skipped' }) - 1]!;
        target.finishedAt = event.t;
        target.status = event.status === 'finished' ? 'passed' : event.status === 'failed' ? 'failed' : 'skipped';
        if (event.message) target.message = event.message;
      }
    } else if (event.kind === 'sample') {
      (series[event.series] ??= []).push({ t: event.t, v: event.value });
    }
  }
  // Watched counts are sampled on change only: they hold their value until
  // the next change, so carry the last one to the end of the run.
  const end = input.events.at(-1)?.t;
  for (const [name, points] of Object.entries(series)) {
    const last = points.at(-1);
    if (end !== undefined && last && last.t < end && HELD.some((prefix) => name.startsWith(prefix))) points.push({ t: end, v: last.v });
  }
  return {
    schemaVersion: 1,
    runId: input.runId,
    scenario: input.scenario.name,
    file: input.scenario.file,
    ...(input.scenario.description !== undefined && { description: input.scenario.description }),
    ...(input.cluster && { cluster: input.cluster }),
    startedAt: input.startedAt,
    finishedAt: Date.now(),
    ...(input.loadStartedAt !== undefined && { loadStartedAt: input.loadStartedAt }),
    verdict: input.verdict,
    exitCode: input.exitCode,
    ...(input.error !== undefined && { error: input.error }),
    phases,
    faults: input.faults,
    assertions: input.assertions,
    series,
    events: input.events,
  };
}

// From a suite's runs to its outcome: each scenario's status against the
// history, and the suite's exit code. Pure, so the rules are unit-tested on
// their own: 130 interrupted, 3 infrastructure (a run's error, or a scenario
// not run), 1 an assertion failed (flaky too, unless allowed; a regression
// only when asked), else 0.
import { ExitCode } from '../errors.ts';
import type { HistoryRecord } from '../history/record.ts';
import { classify, type ScenarioStatus } from '../history/status.ts';
import type { SuiteRun, SuiteScenario } from '../report/suite/outcome.ts';

export interface ScenarioNight {
  name: string;
  file: string;
  runs: SuiteRun[];
  /** Tonight's history records of this scenario. */
  records: HistoryRecord[];
  notRunReason?: string;
}

export function judgeScenarios(nights: ScenarioNight[], history: HistoryRecord[], batch: string, margin: number): SuiteScenario[] {
  return nights.map((n) => {
    const past = history.filter((h) => h.scenario === n.name && h.batch !== batch);
    const status: ScenarioStatus = classify({ tonight: n.records, past, margin, ...(n.notRunReason && { notRunReason: n.notRunReason }) });
    return { name: n.name, file: n.file, status, runs: n.runs };
  });
}

export function suiteExitCode(scenarios: SuiteScenario[], options: { allowFlaky: boolean; failOnRegression: boolean; interrupted: boolean }): number {
  const codes = scenarios.flatMap((s) => s.runs.map((r) => r.result.exitCode));
  if (options.interrupted || codes.includes(ExitCode.interrupted)) return ExitCode.interrupted;
  if (codes.includes(ExitCode.infrastructure) || scenarios.some((s) => s.status.kind === 'not-run')) return ExitCode.infrastructure;
  const fails = (s: SuiteScenario) => s.status.kind === 'new-failure' || s.status.kind === 'known-failure' || (s.status.kind === 'flaky' && !options.allowFlaky) || (s.status.kind === 'regressed' && options.failOnRegression);
  return scenarios.some(fails) ? ExitCode.assertionFailed : ExitCode.passed;
}

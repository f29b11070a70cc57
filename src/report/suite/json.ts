// The suite's results.json: statuses, repeats and resets, with each run
// named by id and its own report; the runs' full results stay in their
// own results.json files.
import { join, relative } from 'node:path';
import { describeStatus } from '../../history/status.ts';
import type { SuiteOutcome } from './outcome.ts';

export function renderSuiteJson(outcome: SuiteOutcome, dir: string): string {
  const { scenarios, ...rest } = outcome;
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      ...rest,
      scenarios: scenarios.map((s) => ({
        name: s.name,
        file: s.file,
        status: s.status,
        statusMessage: describeStatus(s.status),
        runs: s.runs.map((r) => ({ label: r.label, runId: r.result.runId, verdict: r.result.verdict, exitCode: r.result.exitCode, wallTimeMs: r.result.finishedAt - r.result.startedAt, report: relative(dir, join(r.reportDir, 'report.html')) })),
      })),
    },
    null,
    2,
  )}\n`;
}

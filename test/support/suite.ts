// A suite's night for the report tests: scenarios whose repeats held or
// failed as scripted, with the figures a trend plots.
import type { ScenarioStatus } from '../../src/history/status.ts';
import type { RunResult } from '../../src/core/result.ts';
import type { SuiteOutcome, SuiteScenario } from '../../src/report/suite/outcome.ts';

export const SUITE_START = Date.UTC(2025, 5, 10, 2, 0, 0);

/** One run: each assertion in the `reclaim` window held unless named in `failing`. */
export function suiteRun(scenario: string, repeat: number, failing: string[] = [], figures = { recoveryMs: 20_000, p95Ms: 40 }): RunResult {
  const startedAt = SUITE_START + repeat * 120_000;
  const status = (name: string) => (failing.includes(name) ? ('failed' as const) : ('passed' as const));
  return {
    schemaVersion: 1,
    runId: `20250610-${scenario}-${repeat}`,
    scenario,
    file: `suites/nightly/${scenario}.yaml`,
    cluster: { provider: 'kind', name: 'shakedown-nightly', cni: 'kube-router', kubernetesVersion: 'v1.35.0' },
    startedAt,
    finishedAt: startedAt + 90_000,
    verdict: failing.length ? 'failed' : 'passed',
    exitCode: failing.length ? 1 : 0,
    phases: [],
    faults: [{ id: 'reclaim', type: 'spot-drain', at: 10_000, state: 'reverted' }],
    assertions: [
      { name: 'pdb-held', type: 'pdb-held', window: 'reclaim', status: status('pdb-held'), message: failing.includes('pdb-held') ? 'backend fell to 1 healthy pod while evictions ran (floor 2, no PDB)' : 'held' },
      { name: 'recovered-within', type: 'recovered-within', window: 'reclaim', status: status('recovered-within'), message: 'recovered', details: { timeToRecoverMs: figures.recoveryMs } },
      { name: 'availability', type: 'availability', window: 'reclaim', status: status('availability'), message: '900 requests', details: { requests: 900, errorRate: 0, p95Ms: figures.p95Ms } },
    ],
    series: {},
    events: [],
  };
}

export function suiteScenario(name: string, status: ScenarioStatus, runs: RunResult[]): SuiteScenario {
  return { name, file: `suites/nightly/${name}.yaml`, status, runs: runs.map((result, i) => ({ label: `${name} #${i + 1}`, result, reportDir: `/state/runs/${result.runId}` })) };
}

/** Held, failed every time, flaky, and one the suite could not run. */
export function sampleNight(): SuiteOutcome {
  return {
    suite: 'nightly',
    file: 'suites/nightly.yaml',
    batch: '20250610-020000-nightly-suite-ab12',
    startedAt: SUITE_START,
    finishedAt: SUITE_START + 900_000,
    exitCode: 3,
    scenarios: [
      suiteScenario('spot-drain', { kind: 'held', repeats: { kind: 'held', runs: 2, passRate: 1 } }, [suiteRun('spot-drain', 1), suiteRun('spot-drain', 2)]),
      suiteScenario('spot-drain-no-pdb', { kind: 'new-failure', repeats: { kind: 'failed', runs: 2, passRate: 0 }, lastHeldAt: SUITE_START - 86_400_000 }, [
        suiteRun('spot-drain-no-pdb', 3, ['pdb-held']),
        suiteRun('spot-drain-no-pdb', 4, ['pdb-held']),
      ]),
      suiteScenario('pod-kill', { kind: 'flaky', repeats: { kind: 'flaky', runs: 2, passRate: 0.5 } }, [suiteRun('pod-kill', 5, ['availability']), suiteRun('pod-kill', 6)]),
      suiteScenario('network-partition', { kind: 'not-run', reason: 'cluster shakedown-nightly could not be brought back after one rebuild: node w1 not Ready after 180 s' }, []),
    ],
    resets: [{ before: 'spot-drain-no-pdb #1', clean: true, found: ['node w1 left cordoned'], repaired: ['uncordoned w1'], waited: ['namespace shakedown-stack gone after 4 s'], problems: [], tookMs: 4_200 }],
    historyWarnings: [],
  };
}

import { describe, expect, it } from 'vitest';
import { suiteExitCode } from '../../../src/cli/suite-outcome.ts';
import type { ScenarioStatus } from '../../../src/history/status.ts';
import { suiteRun, suiteScenario } from '../../support/suite.ts';

const held: ScenarioStatus = { kind: 'held', repeats: { kind: 'held', runs: 1, passRate: 1 } };
const with_ = (status: ScenarioStatus, exitCode = 0) => suiteScenario('s', status, [{ ...suiteRun('s', 1), exitCode }]);
const options = { allowFlaky: false, failOnRegression: false, interrupted: false };

describe('suiteExitCode', () => {
  it.each([
    { name: 'all held', scenarios: [with_(held)], options, code: 0 },
    { name: 'a new failure', scenarios: [with_(held), with_({ kind: 'new-failure', repeats: { kind: 'failed', runs: 1, passRate: 0 } }, 1)], options, code: 1 },
    { name: 'a known failure', scenarios: [with_({ kind: 'known-failure', repeats: { kind: 'failed', runs: 1, passRate: 0 }, failingSince: 0 }, 1)], options, code: 1 },
    { name: 'flaky', scenarios: [with_({ kind: 'flaky', repeats: { kind: 'flaky', runs: 2, passRate: 0.5 } }, 1)], options, code: 1 },
    { name: 'flaky, allowed', scenarios: [with_({ kind: 'flaky', repeats: { kind: 'flaky', runs: 2, passRate: 0.5 } }, 1)], options: { ...options, allowFlaky: true }, code: 0 },
    { name: 'regressed', scenarios: [with_({ kind: 'regressed', repeats: { kind: 'held', runs: 1, passRate: 1 }, regressions: [] })], options, code: 0 },
    { name: 'regressed, --fail-on-regression', scenarios: [with_({ kind: 'regressed', repeats: { kind: 'held', runs: 1, passRate: 1 }, regressions: [] })], options: { ...options, failOnRegression: true }, code: 1 },
    { name: 'a failure and a scenario not run: infrastructure wins', scenarios: [with_({ kind: 'new-failure', repeats: { kind: 'failed', runs: 1, passRate: 0 } }, 1), suiteScenario('t', { kind: 'not-run', reason: 'lost' }, [])], options, code: 3 },
    { name: 'one repeat hit an infrastructure error', scenarios: [with_(held, 3)], options, code: 3 },
    { name: 'interrupted', scenarios: [with_(held)], options: { ...options, interrupted: true }, code: 130 },
  ])('$name -> $code', ({ scenarios, options, code }) => {
    expect(suiteExitCode(scenarios, options)).toBe(code);
  });
});

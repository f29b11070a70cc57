// A suite night through `shakedown run suite.yaml`, with the runs, the
// cluster and the reset scripted: repeats, statuses, history, the rebuild,
// not-run scenarios and exit codes, as the CLI puts them together.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { historyLine } from '../../../src/history/ndjson.ts';
import type { RunOptions } from '../../../src/runner/run.ts';
import type { ResetReport } from '../../../src/runner/reset.ts';
import type { Scenario } from '../../../src/scenario/model.ts';
import { night } from '../../support/history.ts';

const script = vi.hoisted(() => ({
  /** scenario name -> verdict of each successive run */
  verdicts: new Map<string, Array<'passed' | 'failed' | 'error'>>(),
  recoveryMs: 20_000,
  resets: [] as ResetReport[],
  runs: [] as Array<{ scenario: string; reuse: boolean | undefined }>,
  resetsAsked: 0,
  ports: undefined as undefined | ReturnType<typeof import('../../support/fakes.ts').fakePorts>,
}));

vi.mock('../../../src/runner/run.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/runner/run.ts')>();
  const { Ledger } = await import('../../../src/runner/ledger.ts');
  const { suiteRun } = await import('../../support/suite.ts');
  return {
    ...original,
    // Stands in for a real run: leaves the ledger a run leaves (naming its cluster) and a result as scripted.
    runScenario: async (scenario: Scenario, options: RunOptions) => {
      script.runs.push({ scenario: scenario.name, reuse: options.reuse });
      const verdict = script.verdicts.get(scenario.name)!.shift()!;
      const ledger = new Ledger(options.stateDir, options.runId!);
      ledger.append({ op: 'run', runId: options.runId!, pid: process.pid, scenario: scenario.name, startedAt: Date.now(), cluster: { provider: 'kind', name: scenario.cluster.name!, kubeconfig: '', owned: true } });
      ledger.append({ op: 'finished', t: Date.now(), verdict });
      const result = suiteRun(scenario.name, script.runs.length, verdict === 'failed' ? ['pdb-held'] : [], { recoveryMs: script.recoveryMs, p95Ms: 40 });
      return { ...result, runId: options.runId!, verdict, exitCode: verdict === 'passed' ? 0 : verdict === 'failed' ? 1 : 3 };
    },
  };
});
vi.mock('../../../src/runner/suite-reset.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runner/suite-reset.ts')>()),
  resetSuiteCluster: async () => {
    script.resetsAsked++;
    return script.resets.shift() ?? { clean: true, found: [], repaired: [], waited: [], problems: [], tookMs: 1_000 };
  },
}));
vi.mock('../../../src/clusters/kind/provider.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/clusters/kind/provider.ts')>()),
  kindClusters: async () => [],
}));
vi.mock('../../../src/runner/real-ports.ts', async () => {
  const { fakePorts } = await import('../../support/fakes.ts');
  return { createPorts: () => (script.ports = fakePorts()) };
});

const { runCommand } = await import('../../../src/cli/commands/run.ts');

function suiteFile(repeat = 1): string {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-suite-'));
  const file = join(dir, 'nightly.yaml');
  const scenarios = ['scenarios/spot-drain.yaml', 'scenarios/pod-kill.yaml'].map((f) => `  - ${resolve(f)}`).join('\n');
  writeFileSync(file, `apiVersion: shakedown.dev/v1alpha1\nkind: Suite\nmetadata:\n  name: nightly\ncluster:\n  workers: 2\n  spare: 1\nscenarios:\n${scenarios}\nrepeat: ${repeat}\nregressionMargin: 0.25\n`);
  return file;
}

async function run(flags: { repeat?: number; allowFlaky?: boolean; failOnRegression?: boolean } = {}, history: string[] = []) {
  let stdout = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: process.cwd(), env: {} };
  const stateDir = mkdtempSync(join(tmpdir(), 'shakedown-suite-state-'));
  const historyFile = join(stateDir, 'history.ndjson');
  writeFileSync(historyFile, history.join(''));
  const code = await runCommand(suiteFile(), { dryRun: false, keep: false, reuse: false, output: 'plain', verbosity: 'quiet', stateDir, ...flags }, io);
  const lines = readFileSync(historyFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { scenario: string; verdict: string; batch: string });
  const suiteDir = readdirSync(join(stateDir, 'runs')).find((d) => d.includes('-nightly-suite-'))!;
  const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(readFileSync(join(stateDir, 'runs', suiteDir, 'junit.xml'), 'utf8'));
  return { code, stdout, lines, junit, stateDir };
}

describe('shakedown run <suite>', () => {
  beforeEach(() => {
    script.verdicts.clear();
    script.resets = [];
    script.runs = [];
    script.resetsAsked = 0;
    script.recoveryMs = 20_000;
  });

  it('--repeat overrides the file; one failing scenario does not stop the other; a history line per run; exit 1', async () => {
    script.verdicts.set('spot-drain', ['failed', 'failed']);
    script.verdicts.set('pod-kill', ['passed', 'passed']);
    const { code, stdout, lines, junit } = await run({ repeat: 2 });
    expect(script.runs.map((r) => r.scenario)).toEqual(['spot-drain', 'spot-drain', 'pod-kill', 'pod-kill']);
    expect(script.resetsAsked).toBe(3);
    expect(lines.map((l) => `${l.scenario}:${l.verdict}`)).toEqual(['spot-drain:failed', 'spot-drain:failed', 'pod-kill:passed', 'pod-kill:passed']);
    expect(new Set(lines.map((l) => l.batch)).size).toBe(1);
    expect(stdout).toContain('new-failure   spot-drain: failed; no earlier run on record');
    expect(stdout).toContain('held          pod-kill: held all 2 runs');
    expect(junit.testsuites.testsuite.map((s: { name: string; failures: string }) => [s.name, s.failures])).toEqual([
      ['spot-drain', '1'],
      ['pod-kill', '0'],
    ]);
    expect(code).toBe(1);
  });

  it('a scenario that failed last night too is a known failure', async () => {
    script.verdicts.set('spot-drain', ['failed']);
    script.verdicts.set('pod-kill', ['passed']);
    const { stdout } = await run({}, [historyLine(night(1, 'failed'))]);
    expect(stdout).toContain('known-failure spot-drain: failed; failing since 2025-06-02');
  });

  it('flaky fails the suite unless --allow-flaky', async () => {
    for (const allowFlaky of [false, true]) {
      script.verdicts.set('spot-drain', ['failed', 'passed']);
      script.verdicts.set('pod-kill', ['passed', 'passed']);
      const { code, stdout } = await run({ repeat: 2, allowFlaky });
      expect(stdout).toContain('flaky         spot-drain: flaky: held 1 of 2 runs (50%)');
      expect(code).toBe(allowFlaky ? 0 : 1);
    }
  });

  it('a regression alone exits 0, unless --fail-on-regression', async () => {
    const week = Array.from({ length: 7 }, (_, i) => historyLine(night(i, 'passed', { recoveryMs: 20_000, p95Ms: 40 })));
    for (const failOnRegression of [false, true]) {
      script.verdicts.set('spot-drain', ['passed']);
      script.verdicts.set('pod-kill', ['passed']);
      script.recoveryMs = 40_000;
      const { code, stdout } = await run({ failOnRegression }, week);
      expect(stdout).toContain('regressed     spot-drain: held, but slower: recovery in reclaim 40 s against a median of 20 s over 7 runs (+100%)');
      expect(code).toBe(failOnRegression ? 1 : 0);
    }
  });

  it('a cluster that cannot be brought back is rebuilt once; after that the rest is not run, with the reason; exit 3', async () => {
    script.verdicts.set('spot-drain', ['passed', 'passed']);
    script.verdicts.set('pod-kill', ['passed', 'passed']);
    const broken = (problem: string): ResetReport => ({ clean: false, found: ['node w1 left cordoned'], repaired: [], waited: [], problems: [problem], tookMs: 180_000 });
    script.resets = [broken('node w1 not Ready after 180 s'), broken('node w2 not Ready after 180 s')];
    const { code, stdout, lines, junit } = await run({ repeat: 2 });
    // Before spot-drain #2: rebuilt, and that run boots a fresh cluster; before pod-kill #1: lost for good.
    // Deleted twice: the rebuild, then at the end (the suite made the cluster, so it removes it).
    expect(script.ports!.deleted).toEqual(['shakedown-nightly', 'shakedown-nightly']);
    expect(script.runs).toEqual([
      { scenario: 'spot-drain', reuse: false },
      { scenario: 'spot-drain', reuse: false },
    ]);
    expect(lines).toHaveLength(2);
    expect(stdout).toContain('not-run       pod-kill: not run: cluster shakedown-nightly could not be brought back after one rebuild: node w2 not Ready after 180 s');
    const podKill = junit.testsuites.testsuite.find((s: { name: string }) => s.name === 'pod-kill');
    expect(podKill.testcase[0].error.type).toBe('NotRun');
    expect(code).toBe(3);
  });

  it('an infrastructure error in one scenario does not stop the next; exit 3', async () => {
    script.verdicts.set('spot-drain', ['error']);
    script.verdicts.set('pod-kill', ['passed']);
    const { code, stdout } = await run();
    expect(script.runs.map((r) => r.scenario)).toEqual(['spot-drain', 'pod-kill']);
    expect(stdout).toContain('not-run       spot-drain: not run: no run reached a verdict (error)');
    expect(code).toBe(3);
  });
});

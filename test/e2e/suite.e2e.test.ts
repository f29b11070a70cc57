// The nightly suite on the shared e2e cluster: two short scenarios, twice
// each, one of them broken (no PodDisruptionBudgets). One must hold and the
// other fail, every time; the cluster is reset between them; and the suite's
// junit.xml, read back by a real XML parser, must count what the runs did.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/core/result.ts';
import { parseHistory } from '../../src/history/ndjson.ts';
import { listLedgers } from '../../src/runner/ledger.ts';
import { pendingReverts } from '../../src/runner/recover.ts';
import { E2E_CLUSTER, STATE_DIR } from './cluster-name.ts';
import { verdictOf } from './run-cli.ts';

interface SuiteResults {
  scenarios: Array<{ name: string; status: { kind: string }; runs: Array<{ runId: string; verdict: string; wallTimeMs: number }> }>;
  resets: Array<{ before: string; clean: boolean; found: string[]; problems: string[] }>;
}

/** Starts a run, waits for its fault to be active, and SIGKILLs its process group. */
async function killMidFault(scenario: string): Promise<{ runId: string; after: string }> {
  const child = spawn(process.execPath, ['bin/shakedown.js', 'run', scenario, '--reuse', '--cluster-name', E2E_CLUSTER, '--output', 'plain'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const active = new Promise<string>((done, fail) => {
    const look = (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find((l) => /fault \S+ \(spot-drain\): active/.test(l));
      if (line) done(line.trim());
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    void exited.then(() => fail(new Error(`the run ended before its fault was active:\n${text}`)));
  });
  const after = await active;
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  const runId = /^run (\S+):/m.exec(text)?.[1];
  expect(runId, text).toBeDefined();
  return { runId: runId!, after };
}

const runResult = (runId: string) => JSON.parse(readFileSync(join(STATE_DIR, 'runs', runId, 'results.json'), 'utf8')) as RunResult;

// The healthy spot drain and its no-PDB variant are judged here, run by run, rather than again on their own.
describe('a suite of two scenarios with repeat 2, one broken, on one cluster', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-e2e-suite-'));
  const history = join(dir, 'history.ndjson');
  let out: SpawnSyncReturns<string>;
  let output: string;
  let suiteDir: string;
  let results: SuiteResults;

  let killed: { runId: string; after: string };

  beforeAll(async () => {
    // A run killed mid-fault with SIGKILL (its whole process group, k6 too): no handler runs, its
    // node stays cordoned and tainted and its namespaces stay. The suite's first reset must find
    // that in the ledger, revert it as `shakedown cleanup` would, and go on from a clean cluster.
    killed = await killMidFault('test/e2e/scenarios/spot-drain-short.yaml');
    const suite = join(dir, 'suite.yaml');
    const scenarios = ['test/e2e/scenarios/spot-drain-short.yaml', 'test/e2e/scenarios/spot-drain-no-pdb.yaml'].map((f) => `  - ${resolve(f)}`).join('\n');
    writeFileSync(suite, `apiVersion: shakedown.dev/v1alpha1\nkind: Suite\nmetadata:\n  name: e2e-suite\nscenarios:\n${scenarios}\nrepeat: 2\n`);
    mkdirSync(join(STATE_DIR, 'runs'), { recursive: true });
    const before = new Set(readdirSync(join(STATE_DIR, 'runs')));
    const started = Date.now();
    out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', suite, '--reuse', '--cluster-name', E2E_CLUSTER, '--history', history, '--output', 'plain'], { encoding: 'utf8' });
    output = `${out.stdout}\n${out.stderr}`;
    const found = readdirSync(join(STATE_DIR, 'runs')).find((d) => !before.has(d) && d.includes('-e2e-suite-suite-'));
    expect(found, `no suite report directory; output:\n${output}`).toBeDefined();
    suiteDir = join(STATE_DIR, 'runs', found!);
    results = JSON.parse(readFileSync(join(suiteDir, 'results.json'), 'utf8')) as SuiteResults;
    const scripted = results.scenarios.flatMap((s) => s.runs).reduce((sum, r) => sum + r.wallTimeMs, 0);
    console.log(
      `[suite] exit ${out.status}, wall ${((Date.now() - started) / 1000).toFixed(0)} s against ${(scripted / 1000).toFixed(0)} s inside the runs\n${results.resets.map((r) => `  reset before ${r.before}: ${r.clean ? 'clean' : 'NOT clean'}; found ${r.found.join('; ') || 'nothing'}`).join('\n')}`,
    );
    for (const run of results.scenarios.flatMap((s) => s.runs)) {
      const result = runResult(run.runId);
      console.log(`  ${run.runId}: ${result.assertions.map((a) => `${a.status} ${a.name} [${a.window}]: ${a.message}`).join('\n    ')}`);
    }
  }, 1_200_000);

  it('its first reset reverts what a run killed mid-fault left applied, and finds the cluster clean', () => {
    const first = results.resets[0]!;
    expect(first.before).toMatch(/^e2e-spot-drain/);
    expect(first.found.filter((f) => f.startsWith(`left applied: run ${killed.runId}:`)).length, `killed after: ${killed.after}`).toBeGreaterThan(0);
    expect(first.found.join('\n')).toMatch(/uncordon|taint/);
    expect(first.clean, first.problems.join('; ')).toBe(true);
    // The killed run's ledger holds nothing more to revert.
    const ledger = listLedgers(STATE_DIR).find((l) => l.runId === killed.runId)!;
    expect(ledger).toBeDefined();
    expect(pendingReverts(ledger, { keepClusters: true })).toEqual([]);
  });

  it('reports one held and one failed (a new failure: first night on record), with the cluster reset clean between runs', () => {
    expect(results.scenarios.map((s) => [s.name, s.status.kind, s.runs.map((r) => r.verdict).join(',')])).toEqual([
      ['e2e-spot-drain', 'held', 'passed,passed'],
      ['e2e-spot-drain-no-pdb', 'new-failure', 'failed,failed'],
    ]);
    // Before each of the four runs: the first because the cluster was reused and may be dirty.
    expect(results.resets).toHaveLength(4);
    expect(results.resets.every((r) => r.clean)).toBe(true);
    expect(out.status, output).toBe(1);
  });

  it('the healthy spot drain passes each time under real load, every fault reverted, the budget that slowed the drain named', () => {
    for (const run of results.scenarios[0]!.runs) {
      const result = runResult(run.runId);
      expect(result.assertions.filter((a) => a.status === 'failed')).toEqual([]);
      expect(result.assertions.filter((a) => a.explanation)).toEqual([]);
      expect(verdictOf(result, 'availability', 'reclaim')?.details?.requests as number).toBeGreaterThan(100);
      expect(result.series['k6:rps']?.length).toBeGreaterThan(30);
      expect(result.series['ready:backend']?.length).toBeGreaterThan(1);
      expect(result.events.filter((e) => e.kind === 'cleanup' && !e.ok)).toEqual([]);
      // aws: the drain goes through evictions. Where the node held two pods of a deployment whose budget allows
      // one disruption at a time, the second waited, and the budget is named (which node held what is the
      // scheduler's doing: seen once 2 backends and 2 frontends on the reclaimed node, once one of each).
      const drain = result.faults[0]!.details!.drain as Array<{ pod: string; outcome: string; blockedBy?: string }>;
      expect(drain.every((d) => d.outcome === 'evicted')).toBe(true);
      for (const deployment of ['backend', 'frontend']) {
        const evicted = drain.filter((d) => d.pod.startsWith(`shakedown-stack/${deployment}-`));
        if (evicted.length >= 2) expect(evicted.map((d) => d.blockedBy ?? '').join(' ')).toContain(`The disruption budget ${deployment} needs 2 healthy pods`);
      }
    }
  });

  it('pdb-held fails each time when the stack has no PodDisruptionBudgets, saying so', () => {
    for (const run of results.scenarios[1]!.runs) {
      const pdb = verdictOf(runResult(run.runId), 'pdb-held', 'reclaim')!;
      expect(pdb.status).toBe('failed');
      expect(pdb.message).toMatch(/fell to \d healthy pods? while evictions ran \(floor 2, no PDB\)/);
      expect(pdb.message).toContain('no PodDisruptionBudget covers');
      expect(pdb.explanation?.cause).toMatch(/no PodDisruptionBudget in shakedown-stack selects Deployment shakedown-stack\/(backend|frontend)'s pods \(labels app=(backend|frontend)\)/);
      expect(pdb.explanation?.fix).toMatch(/^add a PodDisruptionBudget in shakedown-stack with selector matchLabels \{app: (backend|frontend)\} and maxUnavailable: 1$/);
    }
  });

  it('appends one history line per run, with recovery figures', () => {
    const { records, warnings } = parseHistory(readFileSync(history, 'utf8'));
    expect(warnings).toEqual([]);
    expect(records.map((r) => `${r.scenario}:${r.verdict}`)).toEqual(['e2e-spot-drain:passed', 'e2e-spot-drain:passed', 'e2e-spot-drain-no-pdb:failed', 'e2e-spot-drain-no-pdb:failed']);
    expect(records[0]!.recovery.length).toBeGreaterThan(0);
  });

  it('writes a JUnit whose counts match its cases, read back by a real XML parser, with the rerun marked', () => {
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase', 'rerunFailure', 'flakyFailure'].includes(n) }).parse(readFileSync(join(suiteDir, 'junit.xml'), 'utf8'));
    const suites = junit.testsuites.testsuite as Array<Record<string, any>>;
    expect(suites.map((s) => s.name)).toEqual(['e2e-spot-drain', 'e2e-spot-drain-no-pdb']);
    for (const s of suites) {
      const cases = s.testcase as Array<Record<string, any>>;
      expect(Number(s.tests)).toBe(cases.length);
      expect(Number(s.failures)).toBe(cases.filter((c) => c.failure !== undefined).length);
      expect(Number(s.errors)).toBe(cases.filter((c) => c.error !== undefined).length);
    }
    expect(suites[0]!.failures).toBe('0');
    const pdb = (suites[1]!.testcase as Array<Record<string, any>>).find((c) => c.name === 'pdb-held (pdb-held)' && c.classname.endsWith('.reclaim'))!;
    expect(pdb.failure.message).toMatch(/^e2e-spot-drain-no-pdb #1: .*no PDB/);
    expect(pdb.rerunFailure).toHaveLength(1);
    expect(Number(junit.testsuites.failures)).toBe(Number(suites[0]!.failures) + Number(suites[1]!.failures));
  });
});

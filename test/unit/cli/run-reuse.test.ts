// `cluster.reuse: true` in a scenario file asks for reuse without --reuse:
// the runner must be told so, and the plan must say it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunOptions } from '../../../src/runner/run.ts';
import type { Scenario } from '../../../src/scenario/model.ts';

const runs = vi.hoisted(() => [] as Array<{ scenario: Scenario; options: RunOptions }>);
vi.mock('../../../src/runner/run.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runner/run.ts')>()),
  // Stands in for the real run: records what it was asked to do, touches nothing.
  runScenario: async (scenario: Scenario, options: RunOptions) => {
    runs.push({ scenario, options });
    return { schemaVersion: 1, runId: options.runId, scenario: scenario.name, file: scenario.file, startedAt: 0, finishedAt: 1, verdict: 'passed', exitCode: 0, phases: [], faults: [], assertions: [], series: {}, events: [] };
  },
}));

const { runCommand } = await import('../../../src/cli/commands/run.ts');

function scenarioFile(clusterReuse: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-reuse-'));
  const file = join(dir, 'reuse.yaml');
  writeFileSync(file, `apiVersion: shakedown.dev/v1alpha1\nkind: Scenario\nmetadata:\n  name: reuse\ncluster:\n  reuse: ${clusterReuse}\n`);
  return file;
}

async function run(file: string, flags: { dryRun?: boolean; reuse?: boolean } = {}) {
  let stdout = '';
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: process.cwd(), env: {} };
  const stateDir = mkdtempSync(join(tmpdir(), 'shakedown-reuse-state-'));
  const code = await runCommand(file, { dryRun: flags.dryRun ?? false, keep: false, reuse: flags.reuse ?? false, output: 'plain', verbosity: 'normal', stateDir }, io);
  return { code, stdout };
}

describe('cluster.reuse from the scenario file', () => {
  beforeEach(() => {
    runs.length = 0;
  });

  it('reaches the runner without --reuse', async () => {
    const out = await run(scenarioFile(true));
    expect(out.code).toBe(0);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.options.reuse).toBe(true);
    expect(out.stdout).toContain('cluster: reuse or create kind cluster "shakedown-reuse"');
  });

  it('and the dry-run plan says so too', async () => {
    const out = await run(scenarioFile(true), { dryRun: true });
    expect(out.stdout).toContain('cluster: reuse or create kind cluster "shakedown-reuse"');
    expect(runs).toHaveLength(0);
  });

  it('stays off when neither the file nor the flag asks', async () => {
    await run(scenarioFile(false));
    expect(runs[0]!.options.reuse).toBe(false);
    const plan = await run(scenarioFile(false), { dryRun: true });
    expect(plan.stdout).toContain('cluster: create kind cluster "shakedown-reuse"');
  });

  it('--reuse still asks for it when the file does not', async () => {
    await run(scenarioFile(false), { reuse: true });
    expect(runs[0]!.options.reuse).toBe(true);
  });
});

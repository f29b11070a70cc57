// The closing line of `task test`, and the e2e script's skip marker it reads.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarise } from '../../../scripts/test-summary.ts';

function results(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-results-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const report = (passed: number, failed = 0, pending = 0) => ({ numPassedTests: passed, numFailedTests: failed, numPendingTests: pending, numTodoTests: 0 });
const required = { SHAKEDOWN_REQUIRE_E2E: '1' };

describe('test summary', () => {
  it('adds up every tier that ran', () => {
    const dir = results({ 'unit.json': report(400, 0, 2), 'e2e.json': report(30, 1), 'e2e-cni-calico.json': report(3, 0, 1) });
    expect(summarise(dir, {})).toEqual({ line: '433 passed, 1 failed, 3 skipped' });
  });

  it('names a skipped e2e tier with its reason instead of reading as all green', () => {
    const dir = results({ 'unit.json': report(400), 'e2e.skipped': 'no Docker engine\n' });
    expect(summarise(dir, {})).toEqual({ line: '400 passed, 0 failed, 0 skipped; e2e tier skipped: no Docker engine' });
  });

  it('fails when the e2e tier is required and was skipped', () => {
    const dir = results({ 'unit.json': report(400), 'e2e.skipped': 'no Docker engine' });
    const summary = summarise(dir, required);
    expect(summary.line).toContain('e2e tier skipped: no Docker engine');
    expect(summary.failure).toBe('the e2e tier is required here (SHAKEDOWN_REQUIRE_E2E=1) but was skipped: no Docker engine');
  });

  it('fails when the e2e tier is required and left no results', () => {
    expect(summarise(results({ 'unit.json': report(400) }), required).failure).toContain('left no results');
  });

  it('passes a required e2e tier that ran in shards, and does not take the CNI matrix for it', () => {
    expect(summarise(results({ 'unit.json': report(400), 'e2e-1.json': report(20), 'e2e-2.json': report(10) }), required)).toEqual({ line: '430 passed, 0 failed, 0 skipped' });
    expect(summarise(results({ 'unit.json': report(400), 'e2e-cni-calico.json': report(3) }), required).failure).toContain('left no results');
  });

  it('passes a required e2e tier that ran', () => {
    const dir = results({ 'unit.json': report(400), 'e2e.json': report(30) });
    expect(summarise(dir, required)).toEqual({ line: '430 passed, 0 failed, 0 skipped' });
  });

  it('as a script: prints the line, and exits 1 with the reason when a required e2e tier was skipped', () => {
    const repo = mkdtempSync(join(tmpdir(), 'shakedown-summary-'));
    mkdirSync(join(repo, '.shakedown/test-results'), { recursive: true });
    writeFileSync(join(repo, '.shakedown/test-results/unit.json'), JSON.stringify(report(5)));
    writeFileSync(join(repo, '.shakedown/test-results/e2e.skipped'), 'no Docker engine\n');
    const script = join(process.cwd(), 'scripts/test-summary.ts');
    const relaxed = spawnSync(process.execPath, [script], { cwd: repo, encoding: 'utf8', env: { ...process.env, SHAKEDOWN_REQUIRE_E2E: '' } });
    expect(relaxed.status).toBe(0);
    expect(relaxed.stdout).toBe('5 passed, 0 failed, 0 skipped; e2e tier skipped: no Docker engine\n');
    const strict = spawnSync(process.execPath, [script], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...required } });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('the e2e tier is required here');
  });
});

describe('e2e-if-engine.sh without an engine', () => {
  it("leaves the reason for the summary and clears an earlier run's e2e results", () => {
    // A copy of the script in a scratch clone, with a docker that fails and a non-root id: the skip path, and nothing else.
    const repo = mkdtempSync(join(tmpdir(), 'shakedown-e2e-skip-'));
    mkdirSync(join(repo, 'scripts'));
    copyFileSync('scripts/e2e-if-engine.sh', join(repo, 'scripts/e2e-if-engine.sh'));
    const fakes = join(repo, 'fake-bin');
    mkdirSync(fakes);
    for (const [name, body] of [
      ['docker', 'exit 1'],
      ['id', 'echo 1000'],
      ['task', 'echo "task must not run" >&2; exit 99'],
    ] as const) {
      writeFileSync(join(fakes, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(fakes, name), 0o755);
    }
    const dir = join(repo, '.shakedown/test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'e2e.json'), JSON.stringify(report(30)));
    writeFileSync(join(dir, 'e2e-2.json'), JSON.stringify(report(12)));
    writeFileSync(join(dir, 'unit.json'), JSON.stringify(report(5)));
    const out = spawnSync('bash', [join(repo, 'scripts/e2e-if-engine.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${fakes}:${process.env.PATH}` } });
    expect(out.status).toBe(0);
    expect(out.stderr).toContain('e2e tier skipped: no Docker engine');
    expect(readFileSync(join(dir, 'e2e.skipped'), 'utf8')).toContain('no Docker engine');
    expect(existsSync(join(dir, 'e2e.json'))).toBe(false);
    expect(existsSync(join(dir, 'e2e-2.json'))).toBe(false);
    expect(summarise(dir, required).failure).toContain('was skipped: no Docker engine');
  });
});

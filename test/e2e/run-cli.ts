// Runs `shakedown run` as a user would and reads back the run's results.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunResult } from '../../src/core/result.ts';
import { STATE_DIR } from './cluster-name.ts';

export function runCli(scenario: string, args: string[], label = scenario): { code: number | null; result: RunResult; output: string } {
  mkdirSync(join(STATE_DIR, 'runs'), { recursive: true });
  const before = new Set(readdirSync(join(STATE_DIR, 'runs')));
  const out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', scenario, ...args, '--output', 'plain'], { encoding: 'utf8' });
  const output = `${out.stdout}\n${out.stderr}`;
  const dir = readdirSync(join(STATE_DIR, 'runs')).find((f) => !f.endsWith('.ndjson') && !before.has(f));
  expect(dir, `no run directory; output:\n${output}`).toBeDefined();
  const result = JSON.parse(readFileSync(join(STATE_DIR, 'runs', dir!, 'results.json'), 'utf8')) as RunResult;
  console.log(`[${label}] exit ${out.status}, ${((result.finishedAt - result.startedAt) / 1000).toFixed(1)} s\n${result.assertions.map((a) => `  ${a.status} ${a.name} [${a.window}]: ${a.message}`).join('\n')}`);
  return { code: out.status, result, output };
}

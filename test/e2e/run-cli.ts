// Runs `shakedown run` as a user would and reads back the run's results.json.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunResult } from '../../src/core/result.ts';
import { E2E_CLUSTER, STATE_DIR } from './cluster-name.ts';

export interface CliRun {
  code: number | null;
  result: RunResult;
  output: string;
}

function runsSoFar(): Set<string> {
  mkdirSync(join(STATE_DIR, 'runs'), { recursive: true });
  return new Set(readdirSync(join(STATE_DIR, 'runs')));
}

function readRun(before: Set<string>, code: number | null, output: string, label: string): CliRun {
  const dir = readdirSync(join(STATE_DIR, 'runs')).find((f) => !f.endsWith('.ndjson') && !before.has(f));
  expect(dir, `no run directory; output:\n${output}`).toBeDefined();
  const result = JSON.parse(readFileSync(join(STATE_DIR, 'runs', dir!, 'results.json'), 'utf8')) as RunResult;
  console.log(`[${label}] exit ${code}, ${((result.finishedAt - result.startedAt) / 1000).toFixed(1)} s\n${result.assertions.map((a) => `  ${a.status} ${a.name} [${a.window}]: ${a.message}`).join('\n')}`);
  return { code, result, output };
}

export function runCli(scenario: string, args: string[], label = scenario): CliRun {
  const before = runsSoFar();
  const out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', scenario, ...args, '--output', 'plain'], { encoding: 'utf8' });
  return readRun(before, out.status, `${out.stdout}\n${out.stderr}`, label);
}

/** The same run in the background, for a test that acts on the cluster while it runs. */
export function startCli(scenario: string, args: string[], label = scenario) {
  const before = runsSoFar();
  const child = spawn(process.execPath, ['bin/shakedown.js', 'run', scenario, ...args, '--output', 'plain'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: Array<{ pattern: RegExp; found: (line: string) => void }> = [];
  const look = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      const line = output.split('\n').find((l) => waiter.pattern.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.found(line.trim());
      }
    }
  };
  child.stdout.on('data', look);
  child.stderr.on('data', look);
  const done = new Promise<CliRun>((resolve) => child.on('exit', (code) => resolve(readRun(before, code, output, label))));
  return {
    done,
    /** Resolves with the first output line that matches; rejects if the run ends first. */
    waitFor(pattern: RegExp): Promise<string> {
      return new Promise((found, fail) => {
        waiters.push({ pattern, found });
        look(Buffer.alloc(0));
        void done.then(() => fail(new Error(`the run ended before a line matched ${pattern}:\n${output}`)));
      });
    },
  };
}

/** A scenario run on this tier's shared cluster, which it reuses and leaves in place. */
export const runOnSharedCluster = (scenario: string): CliRun => runCli(scenario, ['--reuse', '--cluster-name', E2E_CLUSTER]);

/** One assertion's verdict in one window of a run. */
export const verdictOf = (result: RunResult, name: string, window: string) => result.assertions.find((a) => a.name === name && a.window === window);

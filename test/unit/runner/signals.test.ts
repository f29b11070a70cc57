import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';
import { readLedger } from '../../../src/runner/ledger.ts';
import { recoverRuns } from '../../../src/runner/recover.ts';
import { cleanupCommand } from '../../../src/cli/commands/cleanup.ts';
import { FileWorld, fakePorts, testRegistries } from '../../support/fakes.ts';

/** Starts the child run and resolves once its fault is active. */
function startRun(dir: string, world: FileWorld, runId: string) {
  const child = spawn(process.execPath, ['test/support/child-run.ts', dir, world.path, runId], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Active once both steps of the fault are applied in the world.
  const active = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (world.read().includes('f1:step2')) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`child exited early with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, active, exited };
}

describe('signals and crashes', () => {
  it('SIGINT during a fault reverts it and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shakedown-sig-'));
    const world = new FileWorld(join(dir, 'world.json'));
    const run = startRun(dir, world, 'sigint');
    await run.active;
    expect(world.read()).toEqual(['cluster:shakedown-unit', 'f1:step1', 'f1:step2']);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(world.read()).toEqual([]);
    expect(readLedger(join(dir, 'runs', 'sigint.ndjson')).pending).toEqual([]);
  });

  it('a run killed with SIGKILL leaves its ledger; cleanup reverts everything it left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shakedown-kill-'));
    const world = new FileWorld(join(dir, 'world.json'));
    const run = startRun(dir, world, 'killed');
    await run.active;
    run.child.kill('SIGKILL');
    await run.exited;
    expect(world.read()).toEqual(['cluster:shakedown-unit', 'f1:step1', 'f1:step2']);
    const left = readLedger(join(dir, 'runs', 'killed.ndjson'));
    expect(left.finished).toBe(false);
    expect(left.pending.map((a) => a.handler)).toEqual(['cluster/delete', 'world-fault/undo', 'world-fault/undo']);

    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) }, cwd: process.cwd(), env: process.env };
    const code = await cleanupCommand({ stateDir: dir, all: false, force: false }, io, { ports: fakePorts({ world }), registries: testRegistries() });
    expect(code).toBe(0);
    expect(out.join('')).toContain('run killed: reverted 3, failed 0');
    expect(world.read()).toEqual([]);
    const after = readLedger(join(dir, 'runs', 'killed.ndjson'));
    expect(after.pending).toEqual([]);
    expect(after.finished).toBe(true);
    // Nothing left: a second cleanup has nothing to do.
    expect(await recoverRuns({ stateDir: dir }, { ports: fakePorts({ world }), registries: testRegistries(), bus: new EventBus() })).toEqual([]);
  });
});

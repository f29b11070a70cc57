import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../../src/core/result.ts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventBus } from '../../../src/core/events.ts';
import { readLedger } from '../../../src/runner/ledger.ts';
import { runScenario } from '../../../src/runner/run.ts';
import { FileWorld, fakePorts, testRegistries } from '../../support/fakes.ts';
import { testScenario } from '../../support/scenario.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-run-'));
  const world = new FileWorld(join(dir, 'world.json'));
  return { dir, world, bus: new EventBus(), ports: fakePorts({ world }) };
}

describe('runner', () => {
  it('applies a fault, judges its window, reverts it and deletes the cluster it created', async () => {
    const { dir, world, bus, ports } = setup();
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 2 }, duration: 50 }], load: 200 });
    const sunk: string[] = [];
    const report = async (r: RunResult) => {
      sunk.push(r.runId);
      return [`${r.runId}/report.html`];
    };
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal: new AbortController().signal, stateDir: dir, runId: 'r1', report });
    expect(result.verdict).toBe('passed');
    expect(result.exitCode).toBe(0);
    expect(world.read()).toEqual([]);
    expect(ports.deleted).toEqual(['shakedown-unit']);
    expect(result.faults[0]).toMatchObject({ state: 'reverted' });
    expect(result.assertions.map((a) => `${a.window}:${a.status}`)).toEqual(['steady-state:passed', 'f1:passed', 'recovery:passed']);
    const ledger = readLedger(join(dir, 'runs', 'r1.ndjson'));
    expect(ledger.pending).toEqual([]);
    expect(ledger.finished).toBe(true);
    // The runner writes no file itself: it hands the result to the sink it was given, once, in the report phase.
    expect(sunk).toEqual(['r1']);
    expect(bus.history.find((e) => e.kind === 'phase' && e.phase === 'report' && e.status === 'finished')).toMatchObject({ message: 'r1/report.html' });
    expect(existsSync(join(dir, 'runs', 'r1'))).toBe(false);
  });

  it('a fault that throws halfway leaves nothing applied, and the run is an infrastructure error', async () => {
    const { dir, world, bus, ports } = setup();
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 3, failAt: 3 } }] });
    const seen: string[] = [];
    bus.on((e) => e.kind === 'cleanup' && seen.push(e.action));
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal: new AbortController().signal, stateDir: dir });
    expect(result.verdict).toBe('error');
    expect(result.exitCode).toBe(3);
    expect(result.error).toContain('fault f1 (world-fault) failed: step 3 failed');
    expect(world.read()).toEqual([]);
    // LIFO: the second step is undone before the first.
    expect(seen.slice(0, 2)).toEqual(['undo f1:step2', 'undo f1:step1']);
  });

  it('an assertion that fails makes the run fail with exit 1, and faults are still reverted', async () => {
    const { dir, world, bus, ports } = setup();
    const scenario = testScenario({ faults: [{ params: { world: world.path } }], assertion: { window: false } });
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal: new AbortController().signal, stateDir: dir });
    expect(result.verdict).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(world.read()).toEqual([]);
  });

  it('a steady state that does not hold stops the run before any fault', async () => {
    const { dir, world, bus, ports } = setup();
    const scenario = testScenario({ faults: [{ params: { world: world.path } }], assertion: { steady: false } });
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal: new AbortController().signal, stateDir: dir });
    expect(result.exitCode).toBe(1);
    expect(result.error).toContain('steady state did not hold');
    expect(result.faults[0]!.state).toBe('scheduled');
  });

  it("a load path the stack's policies cut at its entry fails the steady state with the cut and its fix; a cut further on only explains", async () => {
    const { dir, world, bus, ports } = setup();
    const entry = { entry: true, cause: 'the policies deny what the stack needs: the load (from outside the cluster) to pods of Service unit/web ...', fix: 'add a NetworkPolicy in unit with podSelector {app: web}' };
    const inner = { entry: false, cause: 'the policies deny what the stack needs: pods of Service unit/web to pods of Service unit/db ...', fix: 'add an egress rule' };
    const cut = (pathCuts: Array<typeof entry>) => ({ ...ports, stack: { deploy: async () => ({ namespace: 'unit', deployments: ['web'], targetUrl: 'http://127.0.0.1:1/', pathCuts }) } });
    const scenario = testScenario({ faults: [{ params: { world: world.path } }] });
    const stopped = await runScenario(scenario, { bus, registries: testRegistries(), ports: cut([entry, inner]), signal: new AbortController().signal, stateDir: dir });
    expect(stopped.exitCode).toBe(1);
    expect(stopped.error).toContain(`steady state did not hold, so no fault was injected:\n- ${entry.cause}\n  fix: ${entry.fix}`);
    expect(stopped.error).not.toContain(inner.cause);
    expect(stopped.faults[0]!.state).toBe('scheduled');
    const ran = await runScenario(scenario, { bus, registries: testRegistries(), ports: cut([inner]), signal: new AbortController().signal, stateDir: dir });
    expect(ran.faults[0]!.state).toBe('reverted');
  });

  it('an abort during a fault reverts it and ends as interrupted (130)', async () => {
    const { dir, world, bus, ports } = setup();
    const controller = new AbortController();
    bus.on((e) => {
      if (e.kind === 'fault' && e.state === 'injecting') setTimeout(() => controller.abort(), 30);
    });
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 1, holdMs: 10_000 } }] });
    const started = Date.now();
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal: controller.signal, stateDir: dir });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.verdict).toBe('interrupted');
    expect(result.exitCode).toBe(130);
    expect(world.read()).toEqual([]);
  });

  it('a revert that fails is reported without hiding the original error', async () => {
    const { dir, world, bus, ports } = setup();
    const registries = testRegistries();
    registries.faults['world-fault']!.reverts.undo = async () => {
      throw new Error('API unreachable');
    };
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 2, failAt: 2 } }] });
    const result = await runScenario(scenario, { bus, registries, ports, signal: new AbortController().signal, stateDir: dir, runId: 'r2' });
    expect(result.exitCode).toBe(3);
    expect(result.error).toContain('step 2 failed');
    const ledger = readLedger(join(dir, 'runs', 'r2.ndjson'));
    expect([...ledger.failed.values()]).toEqual(['API unreachable']);
    expect(ledger.pending.map((a) => a.description)).toEqual(['undo f1:step1']);
  });

  it('recovery.timeout bounds the recovery phase: a check still waiting is judged when it runs out', async () => {
    const { dir, bus, ports } = setup();
    const registries = testRegistries();
    let waitedMs = 0;
    registries.assertions['patient'] = {
      ...registries.assertions['scripted']!,
      type: 'patient',
      params: z.strictObject({}),
      async start() {
        return {
          async recovery(signal) {
            const started = Date.now();
            await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
            waitedMs = Date.now() - started;
            return { status: 'failed' as const, message: 'still waiting when the recovery window ran out' };
          },
          stop: async () => {},
        };
      },
    };
    const scenario = { ...testScenario(), assertions: [{ name: 'patient', type: 'patient', params: {} }], recoveryTimeout: 300 };
    const result = await runScenario(scenario, { bus, registries, ports, signal: new AbortController().signal, stateDir: dir });
    expect(waitedMs).toBeGreaterThanOrEqual(250);
    expect(waitedMs).toBeLessThan(5000);
    expect(result.assertions.find((a) => a.window === 'recovery')).toMatchObject({ status: 'failed' });
    expect(result.verdict).toBe('failed');
  });
});

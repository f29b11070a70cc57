// What the runner puts in the records the reports read: how long each verdict
// took to settle, how faults still applied at the end really ended, and what
// the cluster was. Runs the real runner over the fakes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AssertionType } from '../../../src/assertions/types.ts';
import { EventBus } from '../../../src/core/events.ts';
import { runScenario } from '../../../src/runner/run.ts';
import { writeReports } from '../../../src/report/write.ts';
import type { RunResult } from '../../../src/core/result.ts';
import { sleep } from '../../../src/core/abort.ts';
import { FileWorld, fakeHandle, fakePorts, testRegistries } from '../../support/fakes.ts';
import { testScenario } from '../../support/scenario.ts';

/** The scripted assertion, but each verdict takes a while to arrive. */
function slowAssertion(): AssertionType<{ steady: boolean; window: boolean; recovery: boolean }> {
  const base = testRegistries().assertions.scripted!;
  return {
    ...base,
    params: z.strictObject({ steady: z.boolean().default(true), window: z.boolean().default(true), recovery: z.boolean().default(true) }),
    async start(ctx, params) {
      const monitor = await base.start(ctx, params);
      return {
        ...monitor,
        steadyState: async (signal) => (await sleep(120), monitor.steadyState!(signal)),
        judgeWindow: async (window) => (await sleep(80), monitor.judgeWindow!(window)),
        recovery: async (signal, since) => (await sleep(100), monitor.recovery!(signal, since)),
      };
    },
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-records-'));
  const world = new FileWorld(join(dir, 'world.json'));
  return { dir, world, bus: new EventBus(), ports: fakePorts({ world }), signal: new AbortController().signal };
}

/** The CLI's sink: every report format under <dir>/runs/<run id>/. */
const reportsIn = (dir: string) => async (result: RunResult) => Object.values(await writeReports(result, join(dir, 'runs', result.runId)));

describe('run records for the reports', () => {
  it('says how long each verdict took to settle, in every window', async () => {
    const { dir, world, bus, ports, signal } = setup();
    const registries = testRegistries();
    registries.assertions.scripted = slowAssertion();
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 1 }, duration: 50 }], load: 200 });
    const result = await runScenario(scenario, { bus, registries, ports, signal, stateDir: dir, runId: 'settle', report: reportsIn(dir) });
    const settled = Object.fromEntries(result.assertions.map((a) => [a.window, a.durationSeconds]));
    expect(settled['steady-state']).toBeGreaterThanOrEqual(0.11);
    expect(settled.f1).toBeGreaterThanOrEqual(0.07);
    expect(settled.recovery).toBeGreaterThanOrEqual(0.09);
    for (const seconds of Object.values(settled)) expect(seconds).toBeLessThan(5);
    const junit = readFileSync(join(dir, 'runs', 'settle', 'junit.xml'), 'utf8');
    const times = [...junit.matchAll(/classname="shakedown\.unit\.([^"]+)" name="scripted \(scripted\)" time="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(times.map(([w]) => w)).toEqual(['steady-state', 'f1', 'recovery']);
    expect(times.every(([, t]) => (t as number) >= 0.07)).toBe(true);
  });

  it('ends a fault left applied to the end of the load when teardown reverts it, as reverted', async () => {
    const { dir, world, bus, ports, signal } = setup();
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 1 } }], load: 200 });
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal, stateDir: dir, runId: 'open', report: reportsIn(dir) });
    const revert = result.events.find((e) => e.kind === 'cleanup' && e.action === 'undo f1:step1')!;
    const recovery = result.phases.find((p) => p.phase === 'recovery')!;
    expect(result.faults[0]).toMatchObject({ state: 'reverted', endedAt: revert.t, message: 'applied to the end of the load, reverted at teardown' });
    expect(result.faults[0]!.endedAt!).toBeGreaterThanOrEqual(recovery.finishedAt!);
    expect(result.events.filter((e) => e.kind === 'fault').map((e) => e.kind === 'fault' && e.state)).toEqual(['injecting', 'active', 'reverted']);
    const md = readFileSync(join(dir, 'runs', 'open', 'summary.md'), 'utf8');
    expect(md).toMatch(/\| world-fault `f1` \| 0s \| [^|]+ \| reverted \| applied to the end of the load, reverted at teardown/);
    expect(md).not.toMatch(/\| instant \| active \|/);
  });

  it('marks a fault whose teardown revert failed as failed, with the error', async () => {
    const { dir, world, bus, ports, signal } = setup();
    const registries = testRegistries();
    registries.faults['world-fault']!.reverts.undo = async () => {
      throw new Error('API unreachable');
    };
    const scenario = testScenario({ faults: [{ params: { world: world.path, steps: 1 } }], load: 200 });
    const result = await runScenario(scenario, { bus, registries, ports, signal, stateDir: dir });
    expect(result.faults[0]).toMatchObject({ state: 'failed', message: 'applied to the end of the load, revert at teardown failed: undo f1:step1: API unreachable' });
  });

  it('records the cluster the handle describes: Kubernetes version, CNI, node count', async () => {
    const { dir, world, bus, ports, signal } = setup();
    ports.cluster.ensure = async (_spec, { name }) => ({
      created: true,
      handle: {
        ...fakeHandle(undefined, name),
        info: async () => ({
          name,
          provider: 'kind',
          kubernetesVersion: 'v1.34.10',
          cni: 'kube-router',
          nodes: ['cp', 'w1', 'w2', 'spare'].map((n) => ({ name: n, role: 'worker', ready: true })),
        }),
      },
    });
    const scenario = testScenario({ faults: [{ params: { world: world.path }, duration: 10 }] });
    const result = await runScenario(scenario, { bus, registries: testRegistries(), ports, signal, stateDir: dir, runId: 'facts', report: reportsIn(dir) });
    expect(result.cluster).toEqual({ provider: 'fake', name: 'shakedown-unit', cni: 'kube-router', kubernetesVersion: 'v1.34.10', nodes: 4 });
    const html = readFileSync(join(dir, 'runs', 'facts', 'report.html'), 'utf8');
    expect(html).toContain('<dt>Kubernetes</dt><dd>v1.34.10</dd>');
    expect(html).toContain('<dt>CNI</dt><dd>kube-router</dd>');
    const md = readFileSync(join(dir, 'runs', 'facts', 'summary.md'), 'utf8');
    expect(md).toContain('**Cluster:** fake/shakedown-unit (Kubernetes v1.34.10, CNI kube-router, 4 nodes)');
  });
});

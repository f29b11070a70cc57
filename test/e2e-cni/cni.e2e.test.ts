// The CNI matrix: one real cluster per CNI (SHAKEDOWN_E2E_CNI, a comma list),
// the sample stack's NetworkPolicies probed under pod kills. CNIs that
// enforce must pass netpol-isolated; one that enforces nothing must fail it
// with that plain reason. A CNI whose images cannot be had here is skipped
// with the reason.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CNI_REGISTRY } from '../../src/clusters/cni/registry.ts';
import type { RunResult } from '../../src/report/result.ts';
import { unavailableBecause } from './availability.ts';

const STATE_DIR = '.shakedown';
const wanted = (process.env.SHAKEDOWN_E2E_CNI ?? 'kube-router-no-firewall,kindnet,calico,cilium').split(',').filter(Boolean);

function runOn(cni: string) {
  mkdirSync(join(STATE_DIR, 'runs'), { recursive: true });
  const before = new Set(readdirSync(join(STATE_DIR, 'runs')));
  const out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', 'test/e2e/scenarios/cni-netpol.yaml', '--cni', cni, '--cluster-name', `shakedown-e2e-${cni}`, '--output', 'plain'], { encoding: 'utf8' });
  const dir = readdirSync(join(STATE_DIR, 'runs')).find((f) => !f.endsWith('.ndjson') && !before.has(f));
  const output = `${out.stdout}\n${out.stderr}`;
  expect(dir, `no run directory; output:\n${output}`).toBeDefined();
  const result = JSON.parse(readFileSync(join(STATE_DIR, 'runs', dir!, 'results.json'), 'utf8')) as RunResult;
  console.log(`[cni ${cni}] exit ${out.status}, ${((result.finishedAt - result.startedAt) / 1000).toFixed(1)} s\n${result.assertions.map((a) => `  ${a.status} ${a.name} [${a.window}]: ${a.message}`).join('\n')}`);
  return { code: out.status, result, output };
}

describe('CNI matrix', () => {
  for (const name of wanted) {
    const cni = CNI_REGISTRY[name];
    it(`${name}: ${cni?.enforcesNetworkPolicy === false ? 'netpol-isolated says plainly that it enforces nothing' : 'enforces the stack\'s NetworkPolicies through pod kills'}`, async (ctx) => {
      expect(cni, `unknown CNI ${name}`).toBeDefined();
      const reason = await unavailableBecause(cni!);
      if (reason) {
        console.log(`[cni ${name}] skipped: ${reason}`);
        ctx.skip(reason);
      }
      const { code, result, output } = runOn(name);
      const isolation = result.assertions.filter((a) => a.type === 'netpol-isolated');
      expect(isolation.length, output).toBeGreaterThan(0);
      if (cni!.enforcesNetworkPolicy) {
        expect(code, output).toBe(0);
        expect(isolation.filter((a) => a.status !== 'passed')).toEqual([]);
      } else {
        expect(code, output).toBe(1);
        // Steady state fails with the reason stated plainly, so no fault is injected.
        const steady = isolation.find((a) => a.window === 'steady-state');
        expect(steady?.status, output).toBe('failed');
        expect(steady?.message, output).toMatch(/the CNI enforces no NetworkPolicy: all \d+ cells that policies deny were reachable/);
        expect(output).toContain('steady state did not hold, so no fault was injected');
        // Routing works: the cells the policies allow connected; only the policy is missing.
        expect(steady?.details?.right as number).toBeGreaterThan(0);
      }
      // The run deleted its cluster: nothing left behind.
      const left = spawnSync('kind', ['get', 'clusters'], { encoding: 'utf8' }).stdout;
      expect(left.split('\n')).not.toContain(`shakedown-e2e-${name}`);
    });
  }
});

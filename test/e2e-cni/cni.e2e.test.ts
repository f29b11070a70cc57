// The CNI matrix: one real cluster per CNI (SHAKEDOWN_E2E_CNI, a comma list),
// the sample stack's NetworkPolicies probed under pod kills. CNIs that
// enforce must pass netpol-isolated; one that enforces nothing must fail it
// with that plain reason. A CNI whose images cannot be had here is skipped
// with the reason.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CNI_REGISTRY } from '../../src/clusters/cni/registry.ts';
import { runCli } from '../e2e/run-cli.ts';
import { unavailableBecause } from './availability.ts';

const wanted = (process.env.SHAKEDOWN_E2E_CNI ?? 'kube-router-no-firewall,kindnet,calico,cilium').split(',').filter(Boolean);
const runOn = (cni: string) => runCli('test/e2e/scenarios/cni-netpol.yaml', ['--cni', cni, '--cluster-name', `shakedown-e2e-${cni}`], `cni ${cni}`);

describe('CNI matrix', () => {
  for (const name of wanted) {
    const cni = CNI_REGISTRY[name];
    it(`${name}: ${cni?.enforcesNetworkPolicy === false ? 'netpol-isolated says plainly that it enforces nothing' : "enforces the stack's NetworkPolicies through pod kills"}`, async (ctx) => {
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
        // The CNI, not the stack's design: the fix is the CNI.
        expect(steady?.explanation?.fix, output).toMatch(/^run a CNI that enforces NetworkPolicy/);
        // Routing works: the cells the policies allow connected; only the policy is missing.
        expect(steady?.details?.right as number).toBeGreaterThan(0);
      }
      // The run deleted its cluster: nothing left behind.
      const left = spawnSync('kind', ['get', 'clusters'], { encoding: 'utf8' }).stdout;
      expect(left.split('\n')).not.toContain(`shakedown-e2e-${name}`);
    });
  }
});

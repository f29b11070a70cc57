// resource-pressure on the shared e2e cluster under load: burners inside the
// backend containers' cgroups. CPU must throttle them (the p95 bound trips in
// that window), memory past their limit must get them OOM-killed by the
// kernel (seen from this process's own watch of the pods), and afterwards
// every backend is back and no burner is left on any node.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, inject, it } from 'vitest';
import { loadKubeConfig } from '../../src/kube/client.ts';
import { watchPods } from '../../src/kube/watch.ts';
import { exec } from '../../src/tools/exec.ts';
import { E2E_CLUSTER } from './cluster-name.ts';
import { startCli } from './run-cli.ts';

const kubeconfig = inject('kubeconfig');

describe('resource-pressure inside the backend containers, under k6 load', () => {
  it('throttles them (p95 trips), gets them OOM-killed past their memory limit, and leaves every backend back and no burner behind', async () => {
    const oomKilled = new Set<string>();
    const watch = await watchPods(loadKubeConfig(kubeconfig), 'shakedown-stack', (pod: V1Pod) => {
      for (const c of pod.status?.containerStatuses ?? []) if (pod.metadata?.labels?.app === 'backend' && c.lastState?.terminated?.reason === 'OOMKilled') oomKilled.add(pod.metadata.name!);
    });
    try {
      const { code, result, output } = await startCli('test/e2e/scenarios/resource-pressure-short.yaml', ['--reuse', '--cluster-name', E2E_CLUSTER]).done;
      expect(code, output).toBe(1);
      const verdict = (name: string, window: string) => result.assertions.find((a) => a.name === name && a.window === window);
      // Throttled: slower, past the p95 bound, in the CPU window.
      expect(verdict('availability', 'cpu-backend')?.status, output).toBe('failed');
      expect(verdict('availability', 'cpu-backend')?.message).toMatch(/p95 latency \d+ ms is above 100ms/);
      expect(verdict('availability', 'cpu-backend')?.explanation?.cause, output).toMatch(/^the fault ran 8 CPU busy loops inside the containers of Deployment shakedown-stack\/backend, sharing their CPU limit/);
      const oom = verdict('availability', 'oom-backend');
      if (oom?.status === 'failed') expect(oom.explanation?.cause, output).toMatch(/OOM-killed their containers/);
      // OOM-killed by the kernel, as a container past its limit is.
      expect(oomKilled.size, output).toBeGreaterThan(0);
      // Back once the burners are gone, within the deadline.
      expect(verdict('recovered-within', 'recovery')?.status, verdict('recovered-within', 'recovery')?.message).toBe('passed');
      for (const fault of result.faults) expect(fault.state, fault.id).toBe('reverted');
      const marker = (id: string) => result.faults.find((f) => f.id === id)!.details!.marker as string;
      for (const node of [`${E2E_CLUSTER}-worker`, `${E2E_CLUSTER}-worker2`, `${E2E_CLUSTER}-worker3`]) {
        for (const id of ['cpu-backend', 'oom-backend']) expect((await exec('docker', ['exec', node, 'pgrep', '-f', marker(id)])).stdout.trim(), `${node} ${id}`).toBe('');
      }
      console.log(`[resource-pressure] OOM-killed: ${[...oomKilled].join(', ')}`);
    } finally {
      await watch.stop();
    }
  });
});

// The control plane out of reach under load, on the shared e2e cluster. The
// workload must keep serving while every client off the control-plane
// machine is blind, and shakedown's own watches must catch up afterwards: a
// pod deleted during the outage (by the control plane's own kubectl, over its
// loopback, which the fault leaves alone) is seen gone once the API is back.
// Its broken variant: a stack whose liveness probe checks the API server.
// Aimed at etcd instead, the API server stays up and answers with errors.
import { describe, expect, inject, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../src/kube/client.ts';
import { ClientKubeApi } from '../../src/kube/client.ts';
import { watchPods } from '../../src/kube/watch.ts';
import { exec } from '../../src/tools/exec.ts';
import { E2E_CLUSTER } from './cluster-name.ts';
import { runOnSharedCluster, startCli, verdictOf } from './run-cli.ts';

const kubeconfig = inject('kubeconfig');
const NAMESPACE = 'shakedown-stack';

describe('control-plane-outage on a real cluster under k6 load', () => {
  it("keeps serving while the API is unreachable, and shakedown's watches see a pod deleted during the outage once it is back", async () => {
    // The harness's own watch module, started before the outage, from this process.
    const seen: Array<{ verb: string; name: string; t: number }> = [];
    const watch = await watchPods(loadKubeConfig(kubeconfig), NAMESPACE, (pod: V1Pod, verb) => seen.push({ verb, name: pod.metadata?.name ?? '', t: Date.now() }));
    try {
      const run = startCli('test/e2e/scenarios/control-plane-outage-short.yaml', ['--reuse', '--cluster-name', E2E_CLUSTER]);
      await run.waitFor(/fault api-down \(control-plane-outage\): active/);
      // From off the control-plane machine the API is silent now.
      const api = new ClientKubeApi(loadKubeConfig(kubeconfig));
      expect(await api.answers(AbortSignal.timeout(3_000))).toBe(false);
      // The control plane itself still works over its loopback: delete a backend there, at once.
      const victim = watch.list().find((p) => p.metadata?.labels?.app === 'backend' && !p.metadata.deletionTimestamp)?.metadata?.name;
      expect(victim).toBeDefined();
      const deletedAt = Date.now();
      const deleted = await exec('docker', ['exec', `${E2E_CLUSTER}-control-plane`, 'kubectl', '--kubeconfig', '/etc/kubernetes/admin.conf', '-n', NAMESPACE, 'delete', 'pod', victim!, '--grace-period=0', '--force', '--wait=false']);
      expect(deleted.exitCode, deleted.stderr).toBe(0);

      const { code, result, output } = await run.done;
      expect(code, output).toBe(0);
      const fault = result.faults.find((f) => f.id === 'api-down')!;
      expect(fault.state).toBe('reverted');
      // Shakedown timed the outage from its side: silent after the cut, answering again after the revert.
      const silentFrom = fault.details?.apiSilentFrom as number;
      const answeredAgainAt = fault.details?.apiAnsweredAgainAt as number;
      expect(silentFrom).toBeLessThan(deletedAt);
      expect(answeredAgainAt).toBeGreaterThan(deletedAt);
      // The workload did not notice: no errors beyond the scenario's bound, every replica back.
      for (const a of result.assertions) expect(a.status, `${a.name} [${a.window}]: ${a.message}`).toBe('passed');

      // The watch caught up: the deletion it could not see during the outage arrived after it.
      await expect.poll(() => watch.list().some((p) => p.metadata?.name === victim), { timeout: 60_000, interval: 500 }).toBe(false);
      const gone = seen.find((s) => s.verb === 'delete' && s.name === victim);
      expect(gone, JSON.stringify(seen.slice(-10))).toBeDefined();
      expect(gone!.t).toBeGreaterThanOrEqual(answeredAgainAt - 5_000);
      console.log(`[control-plane-outage] silent to shakedown for ${((answeredAgainAt - silentFrom) / 1000).toFixed(1)} s; the watch saw ${victim} gone ${((gone!.t - answeredAgainAt) / 1000).toFixed(1)} s after the API answered again`);
    } finally {
      await watch.stop();
    }
  });

  it('fails availability when the liveness probe checks the API server, explained by the restarts the kubelets report once it is back', () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/control-plane-outage-liveness.yaml');
    expect(code, output).toBe(1);
    const verdict = verdictOf(result, 'availability', 'api-down')!;
    expect(verdict.status, verdict.message).toBe('failed');
    expect(verdict.explanation?.cause, verdict.message).toMatch(
      /^the kubelet restarted container web of Deployment liveness-on-api\/web \d+ times? in \d pods? during the window, while the API server was out of reach, because its liveness probe \(exec `\/agent connect --timeout 1s kubernetes\.default\.svc:443`, every 5s, 2 failures to restart\) failed/,
    );
    expect(verdict.explanation?.fix).toMatch(/^make the livenessProbe of container web in Deployment liveness-on-api\/web .* check only that the process itself answers/);
  });

  it('etcd out of reach: the API server answers, its etcd check failing, while the workload keeps serving', async () => {
    const run = startCli('test/e2e/scenarios/control-plane-outage-etcd-short.yaml', ['--reuse', '--cluster-name', E2E_CLUSTER]);
    await run.waitFor(/fault etcd-down \(control-plane-outage\): active/);
    // Not the api target's silence: the API server itself answers, and says its store is gone.
    // Its etcd check is its own, timed apart from shakedown's probe: asked until it has failed too.
    let readyz = { exitCode: 0 as number | null, stderr: '' };
    await expect
      .poll(
        async () => {
          readyz = await exec('kubectl', ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz?verbose', '--request-timeout=5s']);
          return readyz.exitCode;
        },
        { timeout: 15_000, interval: 1_000 },
      )
      .not.toBe(0);
    expect(readyz.stderr).toMatch(/\[-\]etcd(-readiness)? failed/);
    expect(readyz.stderr).toMatch(/\[\+\]ping ok/);
    const { code, result, output } = await run.done;
    expect(code, output).toBe(0);
    const fault = result.faults.find((f) => f.id === 'etcd-down')!;
    expect(fault.state).toBe('reverted');
    expect(fault.details?.target).toBe('etcd');
    expect(fault.details?.apiAnsweredAgainAt as number).toBeGreaterThan(fault.details?.apiSilentFrom as number);
    for (const a of result.assertions) expect(a.status, `${a.name} [${a.window}]: ${a.message}`).toBe('passed');
  });
});

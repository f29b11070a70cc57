// Waiting for a fresh cluster to be usable: every node Ready, the CNI and
// CoreDNS running. On fenced clusters CoreDNS gets a Corefile without
// upstream forwarding, so nothing even tries to leave the machine.
import { join } from 'node:path';
import { InfraError } from '../../errors.ts';
import { exec, must } from '../../tools/exec.ts';
import { PROJECT_ROOT } from '../../tools/paths.ts';

export function kubectl(kubeconfig: string, args: string[], options: { input?: string; signal?: AbortSignal } = {}): Promise<string> {
  return must('kubectl', ['--kubeconfig', kubeconfig, ...args], options);
}

export async function waitForCluster(kubeconfig: string, options: { timeoutSeconds: number; signal: AbortSignal; fenced: boolean; onDnsPatched?: () => void }): Promise<void> {
  const timeout = `${options.timeoutSeconds}s`;
  const step = async (what: string, args: string[]) => {
    const out = await exec('kubectl', ['--kubeconfig', kubeconfig, ...args], { signal: options.signal });
    if (out.exitCode !== 0) {
      const nodes = await exec('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes,pods', '-A', '-o', 'wide']);
      throw new InfraError(`${what} within ${timeout}: ${(out.stderr || out.stdout).trim()}\n${nodes.stdout}`);
    }
  };
  await step('nodes did not all become Ready', ['wait', '--for=condition=Ready', 'nodes', '--all', `--timeout=${timeout}`]);
  const daemonsets = await exec('kubectl', ['--kubeconfig', kubeconfig, '-n', 'kube-system', 'get', 'daemonsets', '-o', 'name']);
  for (const ds of daemonsets.stdout.split('\n').filter(Boolean)) {
    await step(`${ds} did not roll out`, ['-n', 'kube-system', 'rollout', 'status', ds, `--timeout=${timeout}`]);
  }
  if (options.fenced) {
    const patched = await patchCoreDns(kubeconfig, options.signal);
    if (patched) options.onDnsPatched?.();
  }
  await step('CoreDNS did not roll out', ['-n', 'kube-system', 'rollout', 'status', 'deployment/coredns', `--timeout=${timeout}`]);
}

/** Replaces CoreDNS's Corefile with the fenced one; returns false when already in place. */
async function patchCoreDns(kubeconfig: string, signal: AbortSignal): Promise<boolean> {
  const current = await kubectl(kubeconfig, ['-n', 'kube-system', 'get', 'configmap', 'coredns', '-o', 'jsonpath={.data.Corefile}'], { signal });
  if (!/\bforward\b/.test(current)) return false;
  await kubectl(kubeconfig, ['replace', '-f', join(PROJECT_ROOT, 'clusters', 'manifests', 'coredns-corefile.yaml')], { signal });
  await kubectl(kubeconfig, ['-n', 'kube-system', 'rollout', 'restart', 'deployment/coredns'], { signal });
  return true;
}

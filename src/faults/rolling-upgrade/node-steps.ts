// The commands an upgrade runs on each node's machine, as a kubeadm cluster
// is upgraded (kubeadm's "Upgrading kubeadm clusters" task): the new kubeadm
// upgrades the control plane (`upgrade apply`) or the node's own config
// (`upgrade node`), then the new kubelet replaces the old and restarts.
import type { NodeRuntime } from '../../core/cluster.ts';
import { hostBinaries, stagedDir, UPGRADE_BINARIES } from './artifacts.ts';

/** Runs a shell script on the node; throws with its output when it fails. */
export async function run(nodes: NodeRuntime, node: string, what: string, script: string): Promise<string> {
  const out = await nodes.exec(node, ['sh', '-ec', script]);
  if (out.exitCode !== 0) throw new Error(`${what} on ${node} failed (exit ${out.exitCode}): ${lastLines(out.output)}`);
  return out.output;
}

function lastLines(output: string, count = 6): string {
  return output.trim().split('\n').slice(-count).join(' | ');
}

/** Puts the new binaries in the node, beside the ones it runs. */
export async function stageBinaries(nodes: NodeRuntime, node: string, version: string): Promise<void> {
  const { dir } = hostBinaries(version);
  await run(nodes, node, 'staging the new binaries', `mkdir -p ${stagedDir(version)}`);
  for (const binary of UPGRADE_BINARIES) await nodes.copyIn(node, `${dir}/${binary}`, `${stagedDir(version)}/${binary}`);
}

/**
 * `kubeadm upgrade apply` on the first control-plane node, `kubeadm upgrade node`
 * elsewhere. Preflight errors are ignored as kind's own `kubeadm init` ignores
 * them (a container is not the machine kubeadm's checks expect).
 */
export async function kubeadmUpgrade(nodes: NodeRuntime, node: string, version: string, first: boolean): Promise<void> {
  const kubeadm = `${stagedDir(version)}/kubeadm`;
  const command = first ? `${kubeadm} upgrade apply ${version} --yes --ignore-preflight-errors=all` : `${kubeadm} upgrade node --ignore-preflight-errors=all`;
  await run(nodes, node, `kubeadm upgrade ${first ? 'apply' : 'node'}`, command);
}

/**
 * The new kubelet and kubectl in place of the old, and the kubelet restarted.
 * From v1.35 the kubelet refuses a cgroup v1 host unless its config allows
 * it; `kubeadm upgrade node` rewrote that config, so it is said again there.
 */
export async function replaceKubelet(nodes: NodeRuntime, node: string, version: string): Promise<void> {
  const staged = stagedDir(version);
  await run(
    nodes,
    node,
    'installing the new kubelet',
    [
      `install -m 0755 ${staged}/kubelet /usr/bin/kubelet`,
      `install -m 0755 ${staged}/kubectl /usr/bin/kubectl`,
      `install -m 0755 ${staged}/kubeadm /usr/bin/kubeadm`,
      `if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] && ! grep -q '^failCgroupV1:' /var/lib/kubelet/config.yaml; then echo 'failCgroupV1: false' >> /var/lib/kubelet/config.yaml; fi`,
      'systemctl daemon-reload',
      'systemctl restart kubelet',
    ].join('\n'),
  );
}

// What an upgrade to a version needs on this machine: that version's
// kubeadm, kubelet and kubectl (built by `KUBERNETES_VERSION=<to> task
// cluster:images`) and the images its kubeadm asks for, under the bare prefix
// the cluster pulls from. No registry here: both are carried into the nodes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../../tools/paths.ts';
import { minorPins, pin } from '../../tools/versions.ts';

export const UPGRADE_BINARIES = ['kubeadm', 'kubelet', 'kubectl'] as const;

/** Where the new version's binaries wait inside each node (kinder keeps them under one directory too). */
export function stagedDir(version: string): string {
  return `/kind/upgrade/${version}`;
}

export function hostBinaries(version: string, env: NodeJS.ProcessEnv = process.env): { dir: string; missing: string[] } {
  const dir = join(cacheDir(env), 'kubernetes', version, 'bin');
  return { dir, missing: UPGRADE_BINARIES.filter((b) => !existsSync(join(dir, b))) };
}

/** The images kubeadm of `version` runs: control plane, kube-proxy, and the etcd, CoreDNS and pause of its minor. */
export function upgradeImages(version: string): string[] {
  const repo = pin('IMAGE_REPO');
  const pins = minorPins(version);
  if (!pins) return [];
  return [...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].map((c) => `${repo}/${c}:${version}`), `${repo}/etcd:${pins.etcdImageTag}`, `${repo}/coredns:${pins.coredns}`, `${repo}/pause:${pins.pause}`];
}

export function buildCommand(version: string): string {
  return `KUBERNETES_VERSION=${version} task cluster:images`;
}

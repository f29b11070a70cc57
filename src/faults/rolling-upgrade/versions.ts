// Which upgrade a cluster may take, under the version skew policy kubeadm
// enforces: one minor at a time, never down; and in which order its nodes go.
import type { NodeContainer } from '../../core/cluster.ts';

interface Version {
  minor: number;
  patch: number;
  text: string;
}

function parse(text: string | undefined): Version | undefined {
  const m = /^v?1\.(\d+)\.(\d+)/.exec(text ?? '');
  return m ? { minor: Number(m[1]), patch: Number(m[2]), text: text! } : undefined;
}

/** The cluster's version (its oldest kubelet) and whether `to` is a step kubeadm takes from it. */
export function versionStep(kubelets: Array<string | undefined>, to: string): { from: string } | { refused: string } {
  const target = parse(to);
  if (!target) return { refused: `${to} is not a Kubernetes version` };
  const known = kubelets.map(parse).filter((v): v is Version => v !== undefined);
  if (!known.length) return { refused: 'no node reports its kubelet version' };
  const oldest = known.reduce((a, b) => (b.minor < a.minor || (b.minor === a.minor && b.patch < a.patch) ? b : a));
  const from = oldest.text;
  if (known.every((v) => v.minor === target.minor && v.patch === target.patch)) return { refused: `every node already runs ${to}` };
  if (target.minor < oldest.minor || (target.minor === oldest.minor && target.patch < oldest.patch)) return { refused: `${to} is older than the cluster's ${from}: kubeadm does not downgrade` };
  if (target.minor > oldest.minor + 1) return { refused: `${to} is more than one minor above the cluster's ${from}: kubeadm upgrades one minor at a time; go to v1.${oldest.minor + 1}.x first` };
  return { from };
}

/** Control-plane nodes first (the first one runs `upgrade apply`), then the workers, each by name. */
export function upgradeOrder(machines: NodeContainer[]): NodeContainer[] {
  const byName = (a: NodeContainer, b: NodeContainer) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...machines.filter((m) => m.role === 'control-plane').sort(byName), ...machines.filter((m) => m.role === 'worker').sort(byName)];
}

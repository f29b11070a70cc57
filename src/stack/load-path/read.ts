// Reads what the load path is judged on, once, after the stack is ready:
// the stack's Services and pods, the cluster DNS pods, the policies of both
// namespaces and the nodes' addresses (the NodePort's SNAT sources).
import { CoreV1Api, NetworkingV1Api, type KubeConfig } from '@kubernetes/client-node';
import { toPolicy } from '../../netpol/live.ts';
import { loadPathHops } from './hops.ts';
import { pathCuts, type PathCut } from './judge.ts';
import { strayPolicies } from './stray-policies.ts';

const DNS_NAMESPACE = 'kube-system';

/** The cuts on the load path (none without a target: no load, or one not there), and the stack's policies that select nothing. */
export async function checkLoadPath(config: KubeConfig, namespace: string, target: { service: string; port: number } | undefined): Promise<{ cuts: PathCut[]; stray: string[] }> {
  const core = config.makeApiClient(CoreV1Api);
  const net = config.makeApiClient(NetworkingV1Api);
  const namespaces = [...new Set([namespace, DNS_NAMESPACE])];
  const [services, pods, dnsPods, nodes, labelled, policies] = await Promise.all([
    core.listNamespacedService({ namespace }).then((l) => l.items),
    core.listNamespacedPod({ namespace }).then((l) => l.items),
    core.listNamespacedPod({ namespace: DNS_NAMESPACE, labelSelector: 'k8s-app=kube-dns' }).then((l) => l.items),
    core.listNode().then((l) => l.items),
    Promise.all(namespaces.map((name) => core.readNamespace({ name }).then((ns) => ({ name, labels: ns.metadata?.labels ?? {} })))),
    Promise.all(namespaces.map((ns) => net.listNamespacedNetworkPolicy({ namespace: ns }).then((l) => l.items.map(toPolicy)))),
  ]);
  const hops = target ? loadPathHops({ namespace, target, services, pods, dnsPods }) : [];
  const loadSources = nodes.flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address));
  return { cuts: pathCuts(hops, { namespaces: labelled, policies: policies.flat(), loadSources }), stray: strayPolicies(policies.flat(), pods, namespace) };
}

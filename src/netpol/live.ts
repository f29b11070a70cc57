// Reads the live cluster into the engine's model (Namespaces, Pods,
// NetworkPolicies of a set of namespaces), plus what the prober needs to
// reach each pod. The expectation is computed from what the API holds now,
// so policies the stack (or a fault) changed are the ones judged.
import { isNodeReady } from '../kube/nodes.ts';
import { isPodReady, readySinceBefore } from '../kube/pods.ts';
import { CoreV1Api, NetworkingV1Api, type KubeConfig, type V1NetworkPolicy, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { NAMESPACE_NAME_LABEL, podKey } from './model.ts';
import type { Cluster, ContainerPort, LabelSelector, NetworkPolicy, NetworkPolicyPeer, Pod, Protocol } from './model.ts';
import type { ProbeTarget } from './probe.ts';

export interface LiveState {
  cluster: Cluster;
  targets: ProbeTarget[];
  /** The pod objects behind the targets, by `namespace/name`: what a prober needs to give a pod an agent. */
  objects: Map<string, V1Pod>;
  /** Nodes down when this was read: NotReady, or known down by the caller. */
  downNodes: Set<string>;
}

export interface ReadOptions {
  /** Nodes to treat as down even if the API still says Ready (a fault just stopped them). */
  downNodes?: Iterable<string>;
  /** When a node's machine last went down: pods there whose Ready is older are not confirmed yet. */
  lastStopped?: (node: string) => number | undefined;
  /** Container with /agent in it (undefined: none); default: the first container. */
  container?: (pod: V1Pod) => string | undefined;
}

export async function readLive(config: KubeConfig, namespaces: string[], options: ReadOptions = {}): Promise<LiveState> {
  const core = config.makeApiClient(CoreV1Api);
  const net = config.makeApiClient(NetworkingV1Api);
  const [nodes, perNamespace] = await Promise.all([
    core.listNode().then((l) => l.items),
    Promise.all(
      namespaces.map(async (namespace) => {
        const [ns, pods, policies] = await Promise.all([core.readNamespace({ name: namespace }).catch(() => undefined), core.listNamespacedPod({ namespace }).then((l) => l.items), net.listNamespacedNetworkPolicy({ namespace }).then((l) => l.items)]);
        return { namespace, labels: ns?.metadata?.labels ?? {}, pods, policies };
      }),
    ),
  ]);
  const down = nodesDown(nodes, options.downNodes);
  const cluster: Cluster = { namespaces: [], pods: [], policies: [] };
  const targets: ProbeTarget[] = [];
  const objects = new Map<string, V1Pod>();
  for (const { namespace, labels, pods, policies } of perNamespace) {
    cluster.namespaces.push({ name: namespace, labels: { ...labels, [NAMESPACE_NAME_LABEL]: namespace } });
    cluster.policies.push(...policies.map(toPolicy));
    for (const pod of pods) {
      // Finished pods hold no IP and serve nothing: not part of the matrix.
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      const model = toPod(pod);
      cluster.pods.push(model);
      objects.set(podKey(model), pod);
      const container = options.container ? options.container(pod) : pod.spec?.containers[0]?.name;
      const unusable = whyUnusable(pod, down) ?? (readySinceBefore(pod, options.lastStopped?.(pod.spec?.nodeName ?? '')) ? `not ready again since ${pod.spec?.nodeName} restarted` : undefined);
      targets.push({
        namespace: model.namespace,
        name: model.name,
        ...(container && { container }),
        ...(pod.spec?.nodeName && { node: pod.spec.nodeName }),
        ...(model.ip && { ip: model.ip }),
        ports: model.ports.filter((p) => p.protocol === 'TCP').map((p) => p.containerPort),
        ...(unusable && { unusable }),
      });
    }
  }
  return { cluster, targets, objects, downNodes: down };
}

/** Nodes whose kubelet stopped reporting, plus those the caller knows are gone. */
export function nodesDown(nodes: V1Node[], known: Iterable<string> = []): Set<string> {
  const down = new Set(known);
  for (const n of nodes) if (!isNodeReady(n)) down.add(n.metadata?.name ?? '');
  return down;
}

/** A pod that cannot answer or run a probe right now: its cells are unknown, not judged. */
export function whyUnusable(pod: V1Pod, down: Set<string>): string | undefined {
  const node = pod.spec?.nodeName;
  if (node && down.has(node)) return `node ${node} is down`;
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  if (!pod.status?.podIP) return 'no IP yet';
  if (!isPodReady(pod)) return 'not ready';
  return undefined;
}

export function toPod(pod: V1Pod): Pod {
  const ports: ContainerPort[] = (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ ...(p.name && { name: p.name }), containerPort: p.containerPort, protocol: (p.protocol ?? 'TCP') as Protocol })));
  const ip = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
  return { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', labels: { ...pod.metadata?.labels }, ports, ...(ip && { ip }) };
}

export function toPolicy(policy: V1NetworkPolicy): NetworkPolicy {
  const spec = policy.spec;
  // protocol defaulted as the API server does, so declared and live policies compare equal.
  const ports = (list: Array<{ port?: number | string; endPort?: number; protocol?: string }> | undefined) =>
    list?.map((p) => ({ ...(p.port !== undefined && { port: p.port }), ...(p.endPort !== undefined && { endPort: p.endPort }), protocol: (p.protocol ?? 'TCP') as Protocol }));
  return {
    metadata: { name: policy.metadata?.name ?? '', namespace: policy.metadata?.namespace ?? '' },
    spec: {
      podSelector: selector(spec?.podSelector) ?? {},
      ...(spec?.policyTypes && { policyTypes: spec.policyTypes as Array<'Ingress' | 'Egress'> }),
      // client-node names the field `_from`; plain manifests (declared policies) say `from`.
      ...(spec?.ingress && { ingress: spec.ingress.map((r) => ((from) => ({ ...(from && { from: from.map(peer) }), ...(r.ports && { ports: ports(r.ports) }) }))(r._from ?? (r as { from?: typeof r._from }).from)) }),
      ...(spec?.egress && { egress: spec.egress.map((r) => ({ ...(r.to && { to: r.to.map(peer) }), ...(r.ports && { ports: ports(r.ports) }) })) }),
    },
  };
}

function peer(p: { podSelector?: Parameters<typeof selector>[0]; namespaceSelector?: Parameters<typeof selector>[0]; ipBlock?: { cidr: string; except?: string[] } }): NetworkPolicyPeer {
  const pods = selector(p.podSelector);
  const namespaces = selector(p.namespaceSelector);
  return {
    ...(pods && { podSelector: pods }),
    ...(namespaces && { namespaceSelector: namespaces }),
    ...(p.ipBlock && { ipBlock: { cidr: p.ipBlock.cidr, ...(p.ipBlock.except && { except: p.ipBlock.except }) } }),
  };
}

function selector(s: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): LabelSelector | undefined {
  if (!s) return undefined;
  return {
    ...(s.matchLabels && { matchLabels: s.matchLabels }),
    ...(s.matchExpressions && { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator as 'In', ...(e.values && { values: e.values }) })) }),
  };
}

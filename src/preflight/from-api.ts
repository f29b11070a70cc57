// Reduces API objects (as client-node returns them) to the snapshot model:
// only what scheduling, budgets and the version checks need, so 30,000 pods
// fit in memory comfortably.
import type { V1Container, V1Deployment, V1Node, V1Pod, V1PodAffinityTerm, V1PodDisruptionBudget, V1ReplicaSet, V1ReplicationController, V1StatefulSet } from '@kubernetes/client-node';
import type { BudgetInfo, LabelSelector, NodeInfo, ObjectRef, PodAffinityTerm, PodInfo, Quantities, SpreadConstraint, Taint, WorkloadInfo } from './model.ts';
import { resourceAmount } from '../core/quantity.ts';
import { isNodeReady } from '../kube/nodes.ts';
import { isPodReady } from '../kube/pods.ts';

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

function quantities(map: Record<string, string> | undefined): Quantities {
  const out: Quantities = {};
  for (const [resource, text] of Object.entries(map ?? {})) {
    const amount = resourceAmount(resource, text);
    if (Number.isFinite(amount)) out[resource] = amount;
  }
  return out;
}

export function nodeFromApi(node: V1Node): NodeInfo {
  const labels = node.metadata?.labels ?? {};
  const info = node.status?.nodeInfo;
  return {
    name: node.metadata?.name ?? '',
    labels,
    taints: (node.spec?.taints ?? []).map((t) => ({ key: t.key, ...(t.value && { value: t.value }), effect: t.effect as Taint['effect'] })),
    allocatable: quantities(node.status?.allocatable ?? node.status?.capacity),
    unschedulable: node.spec?.unschedulable ?? false,
    ready: isNodeReady(node),
    controlPlane: CONTROL_PLANE_LABELS.some((l) => l in labels),
    ...(info?.kubeletVersion && { kubeletVersion: info.kubeletVersion }),
    ...(info?.kubeProxyVersion && { kubeProxyVersion: info.kubeProxyVersion }),
  };
}

function add(into: Quantities, from: Quantities): void {
  for (const [r, v] of Object.entries(from)) into[r] = (into[r] ?? 0) + v;
}

/**
 * What the scheduler reserves for a pod: the sum of its containers' and
 * sidecars' requests, or the largest init container's (with the sidecars
 * started before it) if larger; plus overhead and one pod slot.
 */
export function podRequests(spec: V1Pod['spec']): Quantities {
  const requestsOf = (c: V1Container) => quantities(c.resources?.requests as Record<string, string> | undefined);
  const total: Quantities = {};
  for (const c of spec?.containers ?? []) add(total, requestsOf(c));
  const sidecars: Quantities = {};
  const initPeak: Quantities = {};
  for (const c of spec?.initContainers ?? []) {
    const own = requestsOf(c);
    if (c.restartPolicy === 'Always') {
      add(sidecars, own);
      continue;
    }
    for (const [r, v] of Object.entries(own)) initPeak[r] = Math.max(initPeak[r] ?? 0, v + (sidecars[r] ?? 0));
  }
  add(total, sidecars);
  for (const [r, v] of Object.entries(initPeak)) total[r] = Math.max(total[r] ?? 0, v);
  add(total, quantities(spec?.overhead as Record<string, string> | undefined));
  total.pods = 1;
  return total;
}

function selector(s: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | undefined): LabelSelector | undefined {
  if (!s) return undefined;
  return { ...(s.matchLabels && { matchLabels: s.matchLabels }), ...(s.matchExpressions?.length && { matchExpressions: s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values && { values: e.values }) })) }) };
}

function affinityTerm(t: V1PodAffinityTerm): PodAffinityTerm {
  const labelSelector = selector(t.labelSelector);
  const namespaceSelector = selector(t.namespaceSelector);
  return { topologyKey: t.topologyKey, ...(labelSelector && { labelSelector }), ...(t.namespaces?.length && { namespaces: t.namespaces }), ...(namespaceSelector && { namespaceSelector }) };
}

/** `workloadOfReplicaSet`: namespace/name of a ReplicaSet to the Deployment that owns it. */
export function podFromApi(pod: V1Pod, workloadOfReplicaSet: ReadonlyMap<string, ObjectRef>): PodInfo {
  const meta = pod.metadata;
  const spec = pod.spec;
  const namespace = meta?.namespace ?? '';
  const owner = meta?.ownerReferences?.find((o) => o.controller);
  const controller: ObjectRef | undefined = owner && { kind: owner.kind, name: owner.name };
  const workload = controller?.kind === 'ReplicaSet' ? (workloadOfReplicaSet.get(`${namespace}/${controller.name}`) ?? controller) : controller;
  const affinity = spec?.affinity;
  const nodeTerms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return {
    namespace,
    name: meta?.name ?? '',
    uid: meta?.uid ?? `${namespace}/${meta?.name}`,
    ...(spec?.nodeName && { nodeName: spec.nodeName }),
    labels: meta?.labels ?? {},
    phase: pod.status?.phase ?? 'Unknown',
    ready: isPodReady(pod),
    terminating: meta?.deletionTimestamp !== undefined,
    mirror: meta?.annotations?.['kubernetes.io/config.mirror'] !== undefined,
    ...(controller && { controller }),
    ...(workload && { workload }),
    requests: podRequests(spec),
    tolerations: (spec?.tolerations ?? []).map((t) => ({ ...(t.key && { key: t.key }), ...(t.operator && { operator: t.operator as 'Exists' | 'Equal' }), ...(t.value && { value: t.value }), ...(t.effect && { effect: t.effect }) })),
    nodeSelector: spec?.nodeSelector ?? {},
    ...(nodeTerms && { requiredNodeAffinity: nodeTerms.map((t) => ({ ...(t.matchExpressions && { matchExpressions: t.matchExpressions }), ...(t.matchFields && { matchFields: t.matchFields }) })) }),
    requiredAffinity: (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(affinityTerm),
    requiredAntiAffinity: (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map(affinityTerm),
    topologySpread: (spec?.topologySpreadConstraints ?? []).map((c): SpreadConstraint => {
      const labelSelector = selector(c.labelSelector);
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        whenUnsatisfiable: c.whenUnsatisfiable as SpreadConstraint['whenUnsatisfiable'],
        ...(labelSelector && { labelSelector }),
        ...(c.minDomains !== undefined && { minDomains: c.minDomains }),
        ...(c.matchLabelKeys?.length && { matchLabelKeys: c.matchLabelKeys }),
        ...(c.nodeAffinityPolicy && { nodeAffinityPolicy: c.nodeAffinityPolicy as 'Honor' | 'Ignore' }),
        ...(c.nodeTaintsPolicy && { nodeTaintsPolicy: c.nodeTaintsPolicy as 'Honor' | 'Ignore' }),
      };
    }),
    emptyDirVolumes: (spec?.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name),
    images: (spec?.containers ?? []).map((c) => c.image ?? ''),
  };
}

function intOrString(value: unknown): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

export function budgetFromApi(pdb: V1PodDisruptionBudget): BudgetInfo {
  const spec = pdb.spec;
  const sel = spec?.selector === undefined ? undefined : (selector(spec.selector) ?? {});
  const minAvailable = intOrString(spec?.minAvailable);
  const maxUnavailable = intOrString(spec?.maxUnavailable);
  return {
    namespace: pdb.metadata?.namespace ?? '',
    name: pdb.metadata?.name ?? '',
    ...(sel && { selector: sel }),
    ...(minAvailable !== undefined && { minAvailable }),
    ...(maxUnavailable !== undefined && { maxUnavailable }),
    ...(spec?.unhealthyPodEvictionPolicy && { unhealthyPodEvictionPolicy: spec.unhealthyPodEvictionPolicy as BudgetInfo['unhealthyPodEvictionPolicy'] }),
    ...(pdb.status?.expectedPods !== undefined && { expectedPods: pdb.status.expectedPods }),
  };
}

/** Workloads that own a replica count; a ReplicaSet a Deployment owns is that Deployment's. */
export function workloadsFromApi(lists: { deployments: V1Deployment[]; replicaSets: V1ReplicaSet[]; statefulSets: V1StatefulSet[]; replicationControllers: V1ReplicationController[] }): {
  workloads: WorkloadInfo[];
  workloadOfReplicaSet: Map<string, ObjectRef>;
} {
  const workloads: WorkloadInfo[] = [];
  const workloadOfReplicaSet = new Map<string, ObjectRef>();
  const of = (kind: string, o: { metadata?: { namespace?: string; name?: string }; spec?: { replicas?: number } }) => workloads.push({ kind, namespace: o.metadata?.namespace ?? '', name: o.metadata?.name ?? '', replicas: o.spec?.replicas ?? 1 });
  for (const d of lists.deployments) of('Deployment', d);
  for (const s of lists.statefulSets) of('StatefulSet', s);
  for (const r of lists.replicationControllers) of('ReplicationController', r);
  for (const rs of lists.replicaSets) {
    const owner = rs.metadata?.ownerReferences?.find((o) => o.controller);
    if (owner) workloadOfReplicaSet.set(`${rs.metadata?.namespace}/${rs.metadata?.name}`, { kind: owner.kind, name: owner.name });
    else of('ReplicaSet', rs);
  }
  return { workloads, workloadOfReplicaSet };
}

// Small builders for snapshots: nodes with cpu and memory, pods of a
// workload, budgets. Defaults describe a plain, healthy cluster.
import type { BudgetInfo, NodeInfo, PodInfo, Snapshot, SpreadConstraint, Taint, Toleration, WorkloadInfo } from '../../../src/preflight/model.ts';

export function node(name: string, o: { cpu?: number; memoryMi?: number; taints?: Taint[]; labels?: Record<string, string>; controlPlane?: boolean; unschedulable?: boolean; kubelet?: string } = {}): NodeInfo {
  return {
    name,
    labels: { 'kubernetes.io/hostname': name, ...o.labels },
    taints: o.taints ?? [],
    allocatable: { cpu: (o.cpu ?? 4) * 1000, memory: (o.memoryMi ?? 8192) * 2 ** 20, pods: 110 },
    unschedulable: o.unschedulable ?? false,
    ready: true,
    controlPlane: o.controlPlane ?? false,
    kubeletVersion: o.kubelet ?? 'v1.34.10',
  };
}

export interface PodOptions {
  namespace?: string;
  workload?: string | null;
  kind?: string;
  labels?: Record<string, string>;
  cpu?: number;
  ready?: boolean;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  spread?: SpreadConstraint[];
  antiAffinity?: PodInfo['requiredAntiAffinity'];
  emptyDir?: string[];
}

/** A pod of workload `o.workload` (default: the name up to its last dash), on `nodeName`. */
export function pod(name: string, nodeName: string | undefined, o: PodOptions = {}): PodInfo {
  const workload = o.workload === null ? undefined : (o.workload ?? name.replace(/-[^-]+$/, ''));
  const kind = o.kind ?? 'Deployment';
  return {
    namespace: o.namespace ?? 'shop',
    name,
    uid: `${o.namespace ?? 'shop'}/${name}`,
    ...(nodeName && { nodeName }),
    labels: o.labels ?? (workload ? { app: workload } : {}),
    phase: nodeName ? 'Running' : 'Pending',
    ready: o.ready ?? nodeName !== undefined,
    terminating: false,
    mirror: false,
    ...(workload && { controller: { kind: kind === 'Deployment' ? 'ReplicaSet' : kind, name: `${workload}-rs` }, workload: { kind, name: workload } }),
    requests: { cpu: (o.cpu ?? 0.1) * 1000, memory: 64 * 2 ** 20, pods: 1 },
    tolerations: o.tolerations ?? [],
    nodeSelector: o.nodeSelector ?? {},
    requiredAffinity: [],
    requiredAntiAffinity: o.antiAffinity ?? [],
    topologySpread: o.spread ?? [],
    emptyDirVolumes: o.emptyDir ?? [],
    images: [],
  };
}

export function budget(name: string, o: { namespace?: string; app?: string; selector?: BudgetInfo['selector'] | null; minAvailable?: number | string; maxUnavailable?: number | string } = {}): BudgetInfo {
  const selector = o.selector === null ? undefined : (o.selector ?? { matchLabels: { app: o.app ?? name } });
  return {
    namespace: o.namespace ?? 'shop',
    name,
    ...(selector && { selector }),
    ...(o.minAvailable !== undefined && { minAvailable: o.minAvailable }),
    ...(o.maxUnavailable !== undefined && { maxUnavailable: o.maxUnavailable }),
  };
}

export function deployment(name: string, replicas: number, namespace = 'shop'): WorkloadInfo {
  return { kind: 'Deployment', namespace, name, replicas };
}

export function snapshot(parts: Partial<Snapshot>): Snapshot {
  return { nodes: [], pods: [], budgets: [], workloads: [], serverVersion: 'v1.34.10', ...parts };
}

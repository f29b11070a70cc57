// The cluster snapshot preflight reasons over: nodes, pods, budgets and
// workloads, read once and reduced to what scheduling and disruption
// accounting need. Everything under src/preflight/ but the reader is pure
// code over this model.

/** Resource amounts: cpu in millicores, everything else in its base unit (bytes, pods, devices). */
export type Quantities = Record<string, number>;

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

export interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

export interface NodeSelectorTerm {
  matchExpressions?: SelectorRequirement[];
  matchFields?: SelectorRequirement[];
}

export interface PodAffinityTerm {
  topologyKey: string;
  labelSelector?: LabelSelector;
  /** Empty with no namespaceSelector: the pod's own namespace. */
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  matchLabelKeys?: string[];
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: Quantities;
  unschedulable: boolean;
  ready: boolean;
  controlPlane: boolean;
  kubeletVersion?: string;
  /** Deprecated in nodeInfo and empty on recent kubelets; the kube-proxy pod's image tag stands in. */
  kubeProxyVersion?: string;
}

export interface ObjectRef {
  kind: string;
  name: string;
}

export interface PodInfo {
  namespace: string;
  name: string;
  uid: string;
  nodeName?: string;
  labels: Record<string, string>;
  phase: string;
  ready: boolean;
  terminating: boolean;
  /** A static pod's API mirror: a drain cannot evict it. */
  mirror: boolean;
  /** The pod's own controller (ReplicaSet, StatefulSet, DaemonSet, Job...). */
  controller?: ObjectRef;
  /** The object that owns the replica count: a ReplicaSet's Deployment, else the controller. */
  workload?: ObjectRef;
  /** What the scheduler reserves: containers' requests (or the largest init container's), overhead, and one pod slot. */
  requests: Quantities;
  tolerations: Toleration[];
  nodeSelector: Record<string, string>;
  requiredNodeAffinity?: NodeSelectorTerm[];
  requiredAffinity: PodAffinityTerm[];
  requiredAntiAffinity: PodAffinityTerm[];
  topologySpread: SpreadConstraint[];
  /** Names of emptyDir volumes: their data goes with the pod. */
  emptyDirVolumes: string[];
  images: string[];
}

export interface BudgetInfo {
  namespace: string;
  name: string;
  /** policy/v1: absent selects no pods, {} selects every pod of the namespace. */
  selector?: LabelSelector;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  /** The disruption controller's own count, for pods whose controller preflight does not read (custom resources). */
  expectedPods?: number;
}

export interface WorkloadInfo {
  kind: string;
  namespace: string;
  name: string;
  replicas: number;
}

export interface Snapshot {
  nodes: NodeInfo[];
  pods: PodInfo[];
  budgets: BudgetInfo[];
  workloads: WorkloadInfo[];
  /** Namespace labels, for affinity terms with a namespaceSelector; absent when they could not be read. */
  namespaceLabels?: Record<string, Record<string, string>>;
  serverVersion?: string;
}

export function podKey(pod: { namespace: string; name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

export function workloadKey(namespace: string, ref: ObjectRef): string {
  return `${namespace}/${ref.kind}/${ref.name}`;
}

/** Pods a drain evicts: all but DaemonSet pods, static pods' mirrors, pods already going, and finished ones. */
export function evictable(pod: PodInfo): boolean {
  return pod.controller?.kind !== 'DaemonSet' && !pod.mirror && !pod.terminating && !finished(pod);
}

export function finished(pod: PodInfo): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

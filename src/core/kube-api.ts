// The narrow slice of the Kubernetes API that faults use. A real
// implementation wraps @kubernetes/client-node; unit tests use a fake.

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface PodSummary {
  namespace: string;
  name: string;
  uid?: string;
  nodeName?: string;
  /** The pod's IP, once it has one. */
  ip?: string;
  labels: Record<string, string>;
  phase?: string;
  ready: boolean;
  /** Owner kind, e.g. ReplicaSet or DaemonSet: drains skip DaemonSet pods. */
  ownerKind?: string;
  deleting: boolean;
  mirror: boolean;
  /** The runtime's IDs of its running containers ("containerd://" dropped): what a fault inside them finds them by on the node. */
  containerIds?: string[];
}

export type EvictionResult =
  | { outcome: 'evicted' }
  | { outcome: 'gone' }
  /** HTTP 429: a PodDisruptionBudget refused; `message` names it. */
  | { outcome: 'blocked'; message: string };

export interface NodeSummary {
  name: string;
  labels: Record<string, string>;
  ready: boolean;
  unschedulable: boolean;
  taints: Taint[];
  podCIDR?: string;
  /** InternalIP from the node's status. */
  address?: string;
  /** status.nodeInfo.kubeletVersion: what an upgrade moves. */
  kubeletVersion?: string;
  /** When its Ready condition last changed (ms). */
  readyChangedAt?: number;
}

export interface NamespaceSummary {
  name: string;
  labels: Record<string, string>;
  /** Being deleted: its phase is Terminating. */
  terminating: boolean;
}

export interface KubeApi {
  listNodes(): Promise<NodeSummary[]>;
  listPods(options?: { namespace?: string; labelSelector?: string; nodeName?: string }): Promise<PodSummary[]>;
  setUnschedulable(node: string, unschedulable: boolean): Promise<void>;
  addTaint(node: string, taint: Taint): Promise<void>;
  removeTaint(node: string, key: string, effect: Taint['effect']): Promise<void>;
  evictPod(namespace: string, name: string, signal?: AbortSignal): Promise<EvictionResult>;
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<void>;
  listNamespaces(): Promise<NamespaceSummary[]>;
  /** Deletes a namespace and does not wait; a missing one is fine. */
  deleteNamespace(name: string): Promise<void>;
  /** A Kubernetes Event on a node, so `kubectl describe node` shows the fault. */
  recordNodeEvent(node: string, reason: string, message: string): Promise<void>;
  /** Whether the API server answers /readyz with 200 before the signal aborts (false, never a throw). */
  answers(signal: AbortSignal): Promise<boolean>;
}

// The inputs of the NetworkPolicy engine, kept close to the Kubernetes API
// shapes (networking.k8s.io/v1, core/v1) so manifests map onto them 1:1.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof OPERATORS)[number];

export type PolicyType = 'Ingress' | 'Egress';

export type Labels = Record<string, string>;

export interface Namespace {
  name: string;
  labels: Labels;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: Protocol;
}

export interface Pod {
  namespace: string;
  name: string;
  labels: Labels;
  /** Pod IP when known (status.podIP); ipBlock peers can only match pods with one. */
  ip?: string;
  ports: ContainerPort[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values?: string[];
}

/** metav1.LabelSelector: matchLabels AND matchExpressions; {} matches everything. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface IPBlock {
  cidr: string;
  except?: string[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  /** Number, or the name of a container port on the destination pod. Missing = every port. */
  port?: number | string;
  /** Inclusive upper bound of a range starting at a numeric `port`. */
  endPort?: number;
  /** Defaults to TCP. */
  protocol?: Protocol;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicySpec {
  /** Missing is the same as {} (every pod in the policy's namespace), as the apiserver decodes it. */
  podSelector?: LabelSelector;
  policyTypes?: PolicyType[];
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export interface NetworkPolicy {
  metadata: { name: string; namespace: string };
  spec: NetworkPolicySpec;
}

export interface Cluster {
  namespaces: Namespace[];
  pods: Pod[];
  policies: NetworkPolicy[];
}

/** One expected connection outcome: `from` connects to `to` on port/protocol. */
export interface ReachabilityCell {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  allowed: boolean;
  reason?: string;
}

/** The label Kubernetes puts on every namespace (immutable, set by the apiserver). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One ordered pair of pods on one port, as a map key. */
export function cellKey(c: { from: string; to: string; port: number }): string {
  return `${c.from}|${c.to}|${c.port}`;
}

export function podKey(pod: Pick<Pod, 'namespace' | 'name'>): string {
  return `${pod.namespace}/${pod.name}`;
}

export function policyKey(policy: NetworkPolicy): string {
  return `${policy.metadata.namespace}/${policy.metadata.name}`;
}

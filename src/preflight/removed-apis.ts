// API versions Kubernetes stopped serving, by the release that stopped them.
// Source: the Kubernetes Deprecated API Migration Guide, "Removed APIs by
// release" (https://kubernetes.io/docs/reference/using-api/deprecation-guide/,
// kubernetes/website content/en/docs/reference/using-api/deprecation-guide.md),
// v1.16 to v1.32, the last release the guide listed removals for when this
// table was written; add rows here as the guide adds releases.

export interface RemovedApi {
  /** group/version as written in apiVersion ("v1" style for the core group). */
  apiVersion: string;
  kind: string;
  /** The minor release that no longer serves it: 25 for v1.25. */
  removedIn: number;
  replacement: string;
}

const rows: Array<[apiVersion: string, kinds: string[], removedIn: number, replacement: string]> = [
  // v1.32
  ['flowcontrol.apiserver.k8s.io/v1beta3', ['FlowSchema', 'PriorityLevelConfiguration'], 32, 'flowcontrol.apiserver.k8s.io/v1'],
  // v1.29
  ['flowcontrol.apiserver.k8s.io/v1beta2', ['FlowSchema', 'PriorityLevelConfiguration'], 29, 'flowcontrol.apiserver.k8s.io/v1'],
  // v1.27
  ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 27, 'storage.k8s.io/v1'],
  // v1.26
  ['flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration'], 26, 'flowcontrol.apiserver.k8s.io/v1'],
  ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 26, 'autoscaling/v2'],
  // v1.25
  ['batch/v1beta1', ['CronJob'], 25, 'batch/v1'],
  ['discovery.k8s.io/v1beta1', ['EndpointSlice'], 25, 'discovery.k8s.io/v1'],
  ['events.k8s.io/v1beta1', ['Event'], 25, 'events.k8s.io/v1'],
  ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 25, 'autoscaling/v2'],
  ['policy/v1beta1', ['PodDisruptionBudget'], 25, 'policy/v1'],
  ['policy/v1beta1', ['PodSecurityPolicy'], 25, 'Pod Security Admission (PodSecurityPolicy has no replacement API)'],
  ['node.k8s.io/v1beta1', ['RuntimeClass'], 25, 'node.k8s.io/v1'],
  // v1.22
  ['admissionregistration.k8s.io/v1beta1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 22, 'admissionregistration.k8s.io/v1'],
  ['apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], 22, 'apiextensions.k8s.io/v1'],
  ['apiregistration.k8s.io/v1beta1', ['APIService'], 22, 'apiregistration.k8s.io/v1'],
  ['authentication.k8s.io/v1beta1', ['TokenReview'], 22, 'authentication.k8s.io/v1'],
  ['authorization.k8s.io/v1beta1', ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], 22, 'authorization.k8s.io/v1'],
  ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 22, 'certificates.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', ['Lease'], 22, 'coordination.k8s.io/v1'],
  ['extensions/v1beta1', ['Ingress'], 22, 'networking.k8s.io/v1'],
  ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], 22, 'networking.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], 22, 'rbac.authorization.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', ['PriorityClass'], 22, 'scheduling.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 22, 'storage.k8s.io/v1'],
  // v1.16
  ['extensions/v1beta1', ['NetworkPolicy'], 16, 'networking.k8s.io/v1'],
  ['extensions/v1beta1', ['PodSecurityPolicy'], 16, 'policy/v1beta1'],
  ['extensions/v1beta1', ['DaemonSet', 'Deployment', 'ReplicaSet'], 16, 'apps/v1'],
  ['apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet'], 16, 'apps/v1'],
  ['apps/v1beta2', ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet'], 16, 'apps/v1'],
];

export const REMOVED_APIS: readonly RemovedApi[] = rows.flatMap(([apiVersion, kinds, removedIn, replacement]) => kinds.map((kind) => ({ apiVersion, kind, removedIn, replacement })));

export const REMOVED_APIS_SOURCE = 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/';

/** The removal that makes `apiVersion`/`kind` unserved on minor release `target`, if any. */
export function removedBy(apiVersion: string, kind: string, target: number): RemovedApi | undefined {
  return REMOVED_APIS.find((r) => r.apiVersion === apiVersion && r.kind === kind && r.removedIn <= target);
}

// API objects reduced to the snapshot model: owners traced to the workload
// that holds the replica count, budgets as policy/v1 reads them, nodes' roles.
import type { V1Node, V1Pod, V1PodDisruptionBudget, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { budgetFromApi, nodeFromApi, podFromApi, workloadsFromApi } from '../../../src/preflight/from-api.ts';

describe('snapshot from API objects', () => {
  const replicaSets: V1ReplicaSet[] = [
    { metadata: { namespace: 'shop', name: 'web-7d9', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] }, spec: { replicas: 3, selector: {} } },
    { metadata: { namespace: 'shop', name: 'bare-rs' }, spec: { replicas: 2, selector: {} } },
  ];

  it('traces a ReplicaSet pod to its Deployment, and counts a bare ReplicaSet as a workload of its own', () => {
    const { workloads, workloadOfReplicaSet } = workloadsFromApi({ deployments: [{ metadata: { namespace: 'shop', name: 'web' }, spec: { replicas: 3, selector: {}, template: {} } }], replicaSets, statefulSets: [], replicationControllers: [] });
    expect(workloads).toEqual([
      { kind: 'Deployment', namespace: 'shop', name: 'web', replicas: 3 },
      { kind: 'ReplicaSet', namespace: 'shop', name: 'bare-rs', replicas: 2 },
    ]);
    const pod: V1Pod = {
      metadata: { namespace: 'shop', name: 'web-7d9-x', uid: 'u1', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9', uid: 'r1', controller: true }] },
      spec: {
        nodeName: 'w1',
        containers: [{ name: 'c', image: 'agent:v1', resources: { requests: { cpu: '50m', memory: '32Mi' } } }],
        tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }],
        volumes: [
          { name: 'tmp', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'x' } },
        ],
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    expect(podFromApi(pod, workloadOfReplicaSet)).toMatchObject({
      uid: 'u1',
      nodeName: 'w1',
      ready: true,
      controller: { kind: 'ReplicaSet', name: 'web-7d9' },
      workload: { kind: 'Deployment', name: 'web' },
      requests: { cpu: 50, memory: 32 * 2 ** 20, pods: 1 },
      tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }],
      emptyDirVolumes: ['tmp'],
      requiredAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }],
      topologySpread: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
      images: ['agent:v1'],
    });
  });

  it('reads a budget without a selector as selecting nothing, and an empty one as the whole namespace', () => {
    const pdb = (spec: V1PodDisruptionBudget['spec']): V1PodDisruptionBudget => ({ metadata: { namespace: 'shop', name: 'b' }, spec, status: { expectedPods: 3, currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1 } });
    expect(budgetFromApi(pdb({ minAvailable: '50%' }))).toEqual({ namespace: 'shop', name: 'b', minAvailable: '50%', expectedPods: 3 });
    expect(budgetFromApi(pdb({ maxUnavailable: 0, selector: {} }))).toMatchObject({ selector: {}, maxUnavailable: 0 });
  });

  it('knows control-plane nodes by their role label, and reads allocatable and versions', () => {
    const node: V1Node = {
      metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
      status: {
        allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo: { kubeletVersion: 'v1.34.10', kubeProxyVersion: '', architecture: '', bootID: '', containerRuntimeVersion: '', kernelVersion: '', machineID: '', operatingSystem: '', osImage: '', systemUUID: '' },
      },
    };
    expect(nodeFromApi(node)).toEqual({
      name: 'cp',
      labels: { 'node-role.kubernetes.io/control-plane': '' },
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      allocatable: { cpu: 2000, memory: 4 * 2 ** 30, pods: 110 },
      unschedulable: false,
      ready: true,
      controlPlane: true,
      kubeletVersion: 'v1.34.10',
    });
  });
});

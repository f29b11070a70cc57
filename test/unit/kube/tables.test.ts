// The pods and nodes a failure message shows: kubectl's STATUS words and columns.
import type { V1ContainerStatus, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { nodeTable, podStatus, podTable, table } from '../../../src/kube/tables.ts';

function container(state: V1ContainerStatus['state'], extra: Partial<V1ContainerStatus> = {}): V1ContainerStatus {
  return { name: 'agent', image: 'agent', imageID: '', ready: false, restartCount: 0, state, ...extra };
}

function pod(name: string, status: V1Pod['status'], extra: { nodeName?: string; namespace?: string; deleting?: boolean; containers?: number } = {}): V1Pod {
  return {
    metadata: { name, namespace: extra.namespace ?? 'shop', ...(extra.deleting && { deletionTimestamp: new Date() }) },
    spec: { containers: Array.from({ length: extra.containers ?? 1 }, (_, i) => ({ name: `c${i}` })), ...(extra.nodeName && { nodeName: extra.nodeName }) },
    status,
  };
}

describe('a pod’s STATUS', () => {
  it('is the phase while nothing is wrong', () => {
    expect(podStatus(pod('a', { phase: 'Running', containerStatuses: [container({ running: {} }, { ready: true })] }))).toBe('Running');
    expect(podStatus(pod('a', { phase: 'Pending' }))).toBe('Pending');
  });

  it('is a container’s reason for not running: a bad image, a crash loop, a kill', () => {
    expect(podStatus(pod('a', { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff' } })] }))).toBe('ImagePullBackOff');
    expect(podStatus(pod('a', { phase: 'Running', containerStatuses: [container({ waiting: { reason: 'CrashLoopBackOff' } })] }))).toBe('CrashLoopBackOff');
    expect(podStatus(pod('a', { phase: 'Running', containerStatuses: [container({ terminated: { exitCode: 137, reason: 'OOMKilled' } })] }))).toBe('OOMKilled');
    expect(podStatus(pod('a', { phase: 'Running', containerStatuses: [container({ terminated: { exitCode: 2 } })] }))).toBe('ExitCode:2');
  });

  it('names the init container step still running or failing', () => {
    const inits = (state: V1ContainerStatus['state']): V1Pod => ({
      ...pod('a', { phase: 'Pending', initContainerStatuses: [container({ terminated: { exitCode: 0 } }), container(state)] }),
      spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i0' }, { name: 'i1' }] },
    });
    expect(podStatus(inits({ running: {} }))).toBe('Init:1/2');
    expect(podStatus(inits({ waiting: { reason: 'PodInitializing' } }))).toBe('Init:1/2');
    expect(podStatus(inits({ waiting: { reason: 'ErrImagePull' } }))).toBe('Init:ErrImagePull');
    expect(podStatus(inits({ terminated: { exitCode: 1, reason: 'Error' } }))).toBe('Init:Error');
  });

  it('is Terminating once the pod is being deleted', () => {
    expect(podStatus(pod('a', { phase: 'Running' }, { deleting: true }))).toBe('Terminating');
  });
});

describe('the pod table', () => {
  it('has kubectl’s columns, padded, with <none> for a pod no node took', () => {
    const pods = [
      pod('backend-5d8f-abcde', { phase: 'Running', containerStatuses: [container({ running: {} }, { ready: true, restartCount: 2 })] }, { nodeName: 'kind-worker' }),
      pod('backend-5d8f-fghij', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] }),
    ];
    expect(podTable(pods)).toBe(['NAME                 READY   STATUS    RESTARTS   NODE', 'backend-5d8f-abcde   1/1     Running   2          kind-worker', 'backend-5d8f-fghij   0/1     Pending   0          <none>'].join('\n'));
  });

  it('leads with the namespace when the pods come from several, and says so when there are none', () => {
    const lines = podTable([pod('coredns-1', { phase: 'Running' }, { namespace: 'kube-system', nodeName: 'cp' })], { namespaces: true }).split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+NODE$/);
    expect(lines[1]).toMatch(/^kube-system\s+coredns-1\s+0\/1\s+Running\s+0\s+cp$/);
    expect(podTable([])).toBe('no pods');
  });
});

describe('the node table', () => {
  it('says Ready or NotReady, cordoned, the roles and the address', () => {
    const node = (name: string, ready: boolean, labels: Record<string, string>, unschedulable = false): V1Node => ({
      metadata: { name, labels },
      spec: { unschedulable },
      status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], addresses: [{ type: 'InternalIP', address: '172.18.0.2' }], nodeInfo: { kubeletVersion: 'v1.33.1' } as never },
    });
    const lines = nodeTable([node('cp', true, { 'node-role.kubernetes.io/control-plane': '' }), node('worker', false, {}, true)]).split('\n');
    expect(lines).toEqual([
      'NAME     STATUS                        ROLES           VERSION   INTERNAL-IP',
      'cp       Ready                         control-plane   v1.33.1   172.18.0.2',
      'worker   NotReady,SchedulingDisabled   <none>          v1.33.1   172.18.0.2',
    ]);
    expect(nodeTable([])).toBe('no nodes');
  });

  it('pads every column but the last', () => {
    expect(
      table([
        ['A', 'B'],
        ['long', 'x'],
      ]),
    ).toBe('A      B\nlong   x');
  });
});

// A fresh kind cluster's readiness, against a stub API server: nodes Ready,
// kube-system's DaemonSets and CoreDNS rolled out, and on a fenced cluster
// CoreDNS's Corefile replaced and CoreDNS restarted on it.
import type { V1Node } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { nodesProgress, usesForwarding, waitForCluster } from '../../../src/clusters/kind/ready.ts';
import { RESTARTED_AT_ANNOTATION } from '../../../src/kube/rollout.ts';
import { type StubApiServer, type StubRoute, stubApiServer } from '../../support/api-server.ts';

let api: StubApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const node = (name: string, ready: boolean): V1Node => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
const rolledOut = { metadata: { name: 'x', generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } };
const kindnet = { metadata: { name: 'kindnet', generation: 1 }, status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2 } };
const KUBEADM_COREFILE = '.:53 {\n    errors\n    kubernetes cluster.local\n    forward . /etc/resolv.conf\n    loop\n}\n';

function cluster(options: { nodesReady: boolean; corefile: string }): Record<string, StubRoute> {
  return {
    'GET /api/v1/nodes': () => ({ body: { items: [node('kind-control-plane', true), node('kind-worker', options.nodesReady)] } }),
    'GET /api/v1/pods': () => ({ body: { items: [{ metadata: { name: 'kindnet-abc', namespace: 'kube-system' }, spec: { containers: [{ name: 'c' }], nodeName: 'kind-worker' }, status: { phase: 'Pending' } }] } }),
    'GET /apis/apps/v1/namespaces/kube-system/daemonsets': () => ({ body: { items: [kindnet] } }),
    'GET /apis/apps/v1/namespaces/kube-system/daemonsets/kindnet': () => ({ body: kindnet }),
    'GET /api/v1/namespaces/kube-system/configmaps/coredns': () => ({ body: { metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: options.corefile } } }),
    'PUT /api/v1/namespaces/kube-system/configmaps/coredns': (request) => ({ body: request.body }),
    'PATCH /apis/apps/v1/namespaces/kube-system/deployments/coredns': () => ({ body: rolledOut }),
    'GET /apis/apps/v1/namespaces/kube-system/deployments/coredns': () => ({ body: rolledOut }),
  };
}

const signal = new AbortController().signal;
const calls = (server: StubApiServer) => server.requests.map((r) => `${r.method} ${r.path}`);

describe('waiting for a kind cluster', () => {
  it('waits for the nodes, each kube-system DaemonSet and CoreDNS', async () => {
    api = await stubApiServer(cluster({ nodesReady: true, corefile: KUBEADM_COREFILE }));
    await waitForCluster(api.kubeconfig, { timeoutSeconds: 5, signal, fenced: false });
    expect(calls(api)).toEqual(['GET /api/v1/nodes', 'GET /apis/apps/v1/namespaces/kube-system/daemonsets', 'GET /apis/apps/v1/namespaces/kube-system/daemonsets/kindnet', 'GET /apis/apps/v1/namespaces/kube-system/deployments/coredns']);
  });

  it('on a fenced cluster, replaces a forwarding Corefile with the fenced one and restarts CoreDNS, then waits for it', async () => {
    api = await stubApiServer(cluster({ nodesReady: true, corefile: KUBEADM_COREFILE }));
    let patched = 0;
    await waitForCluster(api.kubeconfig, { timeoutSeconds: 5, signal, fenced: true, onDnsPatched: () => patched++ });
    expect(patched).toBe(1);
    const replaced = api.requests.find((r) => r.method === 'PUT')!;
    expect(replaced.body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' } });
    expect(usesForwarding(replaced.body as never)).toBe(false);
    const restart = api.requests.find((r) => r.method === 'PATCH')!;
    expect(restart.contentType).toBe('application/strategic-merge-patch+json');
    expect(Object.keys((restart.body as { spec: { template: { metadata: { annotations: object } } } }).spec.template.metadata.annotations)).toEqual([RESTARTED_AT_ANNOTATION]);
    expect(calls(api).slice(-1)).toEqual(['GET /apis/apps/v1/namespaces/kube-system/deployments/coredns']);
  });

  it('leaves a Corefile that is already fenced alone', async () => {
    api = await stubApiServer(cluster({ nodesReady: true, corefile: '.:53 {\n    errors\n    kubernetes cluster.local\n}\n' }));
    let patched = 0;
    await waitForCluster(api.kubeconfig, { timeoutSeconds: 5, signal, fenced: true, onDnsPatched: () => patched++ });
    expect(patched).toBe(0);
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('names the nodes that never became Ready, and shows the nodes and pods', async () => {
    api = await stubApiServer(cluster({ nodesReady: false, corefile: KUBEADM_COREFILE }));
    const failure = waitForCluster(api.kubeconfig, { timeoutSeconds: 1, signal, fenced: false });
    await expect(failure).rejects.toThrow(/^nodes did not all become Ready within 1s: not Ready: kind-worker\nNAME +STATUS +ROLES +VERSION +INTERNAL-IP\n/);
    await expect(failure).rejects.toThrow(/kind-worker +NotReady[\s\S]*NAMESPACE +NAME +READY +STATUS +RESTARTS +NODE\nkube-system +kindnet-abc +0\/1 +Pending +0 +kind-worker$/);
  });
});

describe('node readiness', () => {
  it('is done once there are nodes and all are Ready', () => {
    expect(nodesProgress([]).state).toBe('waiting');
    expect(nodesProgress([node('a', true), node('b', false), node('c', false)])).toEqual({ state: 'waiting', status: 'not Ready: b, c' });
    expect(nodesProgress([node('a', true), node('b', true)]).state).toBe('done');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';
import { deleteStack } from '../../../src/stack/teardown.ts';
import { PIN_LABEL } from '../../../src/stack/sample.ts';
import { notFound, type StubApiServer, stubApiServer } from '../../support/api-server.ts';

// The revert handler end to end: from the kubeconfig its ledger entry names, to the requests the API sees.
let api: StubApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function clusterWith(namespace: { labels: Record<string, string> } | undefined, nodes: string[] = []) {
  const routes: Parameters<typeof stubApiServer>[0] = {
    'GET /api/v1/namespaces/shop': () => (namespace ? { body: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'shop', labels: namespace.labels }, status: { phase: 'Active' } } } : notFound('namespaces "shop"')),
    'DELETE /api/v1/namespaces/shop': () => ({ body: { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'shop' }, status: { phase: 'Terminating' } } }),
  };
  for (const node of nodes) routes[`PATCH /api/v1/nodes/${node}`] = () => (node.includes('gone') ? notFound(`nodes "${node}"`) : { body: { kind: 'Node', apiVersion: 'v1', metadata: { name: node } } });
  api = await stubApiServer(routes);
  return api;
}

function warningsOf(bus: EventBus): string[] {
  const warnings: string[] = [];
  bus.on((e) => e.kind === 'log' && e.level === 'warn' && warnings.push(e.message));
  return warnings;
}

const ctx = (bus = new EventBus()) => ({ signal: new AbortController().signal, bus });
const calls = (server: StubApiServer) => server.requests.map((r) => `${r.method} ${r.path}`);

describe('stack teardown', () => {
  it('deletes the namespace shakedown made, without waiting for it to go', async () => {
    const server = await clusterWith({ labels: { 'app.kubernetes.io/managed-by': 'shakedown' } });
    await deleteStack({ kubeconfig: server.kubeconfig, namespace: 'shop', nodes: [] }, ctx());
    expect(calls(server)).toEqual(['GET /api/v1/namespaces/shop', 'DELETE /api/v1/namespaces/shop']);
  });

  it("leaves a namespace of the user's in place, and says so", async () => {
    const server = await clusterWith({ labels: { team: 'payments' } });
    const bus = new EventBus();
    const warnings = warningsOf(bus);
    await deleteStack({ kubeconfig: server.kubeconfig, namespace: 'shop', nodes: [] }, ctx(bus));
    expect(calls(server)).toEqual(['GET /api/v1/namespaces/shop']);
    expect(warnings).toEqual(['namespace shop was not made by shakedown: left in place, with what the stack applied in it']);
  });

  it('a namespace already gone needs nothing', async () => {
    const server = await clusterWith(undefined);
    await deleteStack({ kubeconfig: server.kubeconfig, namespace: 'shop', nodes: [] }, ctx());
    expect(calls(server)).toEqual(['GET /api/v1/namespaces/shop']);
  });

  it('takes the pin label off every node with a merge patch, a node that is gone included', async () => {
    const server = await clusterWith(undefined, ['kind-worker', 'kind-worker-gone', 'kind-worker2']);
    await deleteStack({ kubeconfig: server.kubeconfig, context: 'stub', namespace: 'shop', nodes: ['kind-worker', 'kind-worker-gone', 'kind-worker2'] }, ctx());
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((p) => p.path)).toEqual(['/api/v1/nodes/kind-worker', '/api/v1/nodes/kind-worker-gone', '/api/v1/nodes/kind-worker2']);
    for (const patch of patches) {
      expect(patch.contentType).toBe('application/merge-patch+json');
      expect(patch.body).toEqual({ metadata: { labels: { [PIN_LABEL]: null } } });
    }
  });

  it('fails, in the API’s words, when the namespace cannot be read', async () => {
    api = await stubApiServer({ 'GET /api/v1/namespaces/shop': () => ({ status: 403, body: { kind: 'Status', message: 'namespaces "shop" is forbidden' } }) });
    await expect(deleteStack({ kubeconfig: api.kubeconfig, namespace: 'shop', nodes: [] }, ctx())).rejects.toThrow('cannot read namespace shop: namespaces "shop" is forbidden');
  });
});

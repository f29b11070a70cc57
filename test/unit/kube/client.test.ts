// ClientKubeApi against a stub API server on loopback: what an eviction
// does when the API answers, and when it does not answer before the deadline.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientKubeApi } from '../../../src/kube/client.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server | undefined;

async function apiServer(handler: Handler): Promise<ClientKubeApi> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'stub', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'stub' }],
    contexts: [{ name: 'stub', cluster: 'stub', user: 'stub' }],
    currentContext: 'stub',
  });
  return new ClientKubeApi(config);
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([
    promise.then(
      (value) => ({ settled: 'resolved', value }),
      (error: unknown) => ({ settled: 'rejected', error }),
    ),
    new Promise((resolve) => setTimeout(() => resolve({ settled: 'still waiting' }), ms)),
  ]);

describe('ClientKubeApi.evictPod', () => {
  it('abandons an eviction the API has not answered when the deadline passes, closing the request', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    let closed!: () => void;
    const requestClosed = new Promise<void>((resolve) => (closed = resolve));
    const api = await apiServer((request) => {
      // A slow API server: reads the eviction, never answers.
      request.resume();
      request.socket.on('close', () => closed());
      arrived();
    });

    const deadline = new AbortController();
    const eviction = api.evictPod('shop', 'web-1', deadline.signal);
    await requestArrived;
    const abortedAt = Date.now();
    deadline.abort(new Error('notice ran out'));

    expect(await within(2000, eviction)).toEqual({ settled: 'rejected', error: new Error('notice ran out') });
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    // The fetch itself was cancelled, not just left running behind a settled promise.
    expect(await within(2000, requestClosed)).toEqual({ settled: 'resolved', value: undefined });
  });

  it('rejects at once when the deadline has already passed', async () => {
    let requests = 0;
    const api = await apiServer(() => requests++);
    const eviction = api.evictPod('shop', 'web-1', AbortSignal.abort(new Error('too late')));
    expect(await within(2000, eviction)).toEqual({ settled: 'rejected', error: new Error('too late') });
    expect(requests).toBe(0);
  });

  it('with a signal that never fires, reads the answer as before: evicted, or blocked naming the budget', async () => {
    const seen: string[] = [];
    let refuse = false;
    const api = await apiServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers['user-agent']?.split('/')[0]}`);
      request.resume();
      response.setHeader('Content-Type', 'application/json');
      if (refuse) {
        response.statusCode = 429;
        response.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            code: 429,
            reason: 'TooManyRequests',
            message: "Cannot evict pod as it would violate the pod's disruption budget.",
            details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 2 healthy pods and has 2 currently' }] },
          }),
        );
      } else {
        response.statusCode = 201;
        response.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 }));
      }
    });
    const signal = new AbortController().signal;
    expect(await api.evictPod('shop', 'web-1', signal)).toEqual({ outcome: 'evicted' });
    refuse = true;
    expect(await api.evictPod('shop', 'web-2', signal)).toEqual({
      outcome: 'blocked',
      message: "Cannot evict pod as it would violate the pod's disruption budget. The disruption budget web-pdb needs 2 healthy pods and has 2 currently",
    });
    // The client's own middleware (its User-Agent) still runs beside the signal's.
    expect(seen).toEqual(['POST /api/v1/namespaces/shop/pods/web-1/eviction kubernetes-client-javascript', 'POST /api/v1/namespaces/shop/pods/web-2/eviction kubernetes-client-javascript']);
  });
});

// A stub Kubernetes API server on loopback, for code that builds its own
// client from a kubeconfig file: routes answer by "METHOD /path", every
// request is recorded (with its Content-Type and body) for the test to read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StubRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: unknown;
}

/** A route's answer: a status and a JSON body; `hang` never answers. */
export type StubAnswer = { status?: number; body?: unknown } | 'hang';
export type StubRoute = (request: StubRequest) => StubAnswer;

export interface StubApiServer {
  /** A kubeconfig file aimed at the stub, its one context named `stub`. */
  kubeconfig: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** A Status body as the API server sends with a 404. */
export function notFound(what: string): StubAnswer {
  return { status: 404, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${what} not found`, reason: 'NotFound', code: 404 } };
}

export async function stubApiServer(routes: Record<string, StubRoute>): Promise<StubApiServer> {
  const requests: StubRequest[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0]!;
      const recorded: StubRequest = { method: request.method ?? '', path, ...(request.headers['content-type'] && { contentType: request.headers['content-type'] }), ...(text && { body: JSON.parse(text) }) };
      requests.push(recorded);
      const route = routes[`${recorded.method} ${path}`];
      const answer = route ? route(recorded) : notFound(path);
      if (answer === 'hang') return;
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'shakedown-stub-api-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'stub', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'stub', user: {} }],
      contexts: [{ name: 'stub', context: { cluster: 'stub', user: 'stub' } }],
      'current-context': 'stub',
    }),
  );
  return {
    kubeconfig,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

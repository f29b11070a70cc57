// The Kubernetes version the report shows is the API server's own answer to
// GET /version, read through client-node; the CNI is the one kind booted with.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KindCluster } from '../../../src/clusters/kind/cluster.ts';
import { serverVersion } from '../../../src/clusters/server-version.ts';

let server: Server;
let kubeconfig: string;

function writeKubeconfig(url: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'shakedown-version-')), 'kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      // client-node speaks plain HTTP only with TLS verification off.
      'clusters: [{ name: c, cluster: { server: "' + url + '", insecure-skip-tls-verify: true } }]',
      'users: [{ name: u, user: { token: t } }]',
      'contexts: [{ name: ctx, context: { cluster: c, user: u } }]',
      'current-context: ctx',
      '',
    ].join('\n'),
  );
  return path;
}

beforeAll(async () => {
  // A stand-in API server on loopback: /version answers, everything else is 404.
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/version')) {
      res.end(JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.10', platform: 'linux/amd64' }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kubeconfig = writeKubeconfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('cluster version and CNI', () => {
  it('reads the API server version from GET /version', async () => {
    expect(await serverVersion({ kubeconfig })).toBe('v1.34.10');
  });

  it('is undefined when the API server does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await serverVersion({ kubeconfig: writeKubeconfig(url) })).toBeUndefined();
  });

  it('a kind cluster tells its server version and the CNI it was booted with', async () => {
    const handle = new KindCluster({ provider: 'kind', name: 'c', kubeconfig, owned: true }, { cni: 'kube-router' });
    const info = await handle.info();
    expect(info).toMatchObject({ provider: 'kind', name: 'c', kubernetesVersion: 'v1.34.10', cni: 'kube-router' });
  }, 30_000);
});

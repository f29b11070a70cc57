// An existing cluster's API server must answer /readyz before a run uses it.
import { afterEach, describe, expect, it } from 'vitest';
import { whyNotReady } from '../../../src/clusters/existing/provider.ts';
import { type StubApiServer, stubApiServer } from '../../support/api-server.ts';

let api: StubApiServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('an existing cluster’s readiness', () => {
  it('is ready when /readyz answers 200', async () => {
    api = await stubApiServer({ 'GET /readyz': () => ({ body: 'ok' }) });
    expect(await whyNotReady(api.kubeconfig, 'stub')).toBeUndefined();
  });

  it('is not when /readyz fails', async () => {
    api = await stubApiServer({ 'GET /readyz': () => ({ status: 500, body: '[-]etcd failed' }) });
    expect(await whyNotReady(api.kubeconfig, 'stub')).toBe('/readyz did not answer 200 OK');
  });

  it('says when the API server does not answer in time', async () => {
    api = await stubApiServer({ 'GET /readyz': () => 'hang' });
    expect(await whyNotReady(api.kubeconfig, 'stub', 100)).toBe('no answer to /readyz within 0.1s');
  });

  it('says when nothing listens there, with the connection’s own error', async () => {
    api = await stubApiServer({});
    const kubeconfig = api.kubeconfig;
    await api.close();
    api = undefined;
    expect(await whyNotReady(kubeconfig, 'stub')).toMatch(/ECONNREFUSED/);
  });

  it('says when the kubeconfig has no such context', async () => {
    api = await stubApiServer({});
    expect(await whyNotReady(api.kubeconfig, 'prod')).toBe(`there is no context prod in ${api.kubeconfig}`);
  });
});

// The fix line for a failing readiness probe: said only where the kubelet's
// words or the probe's own port show the cause.
import type { V1Container } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { readinessFix } from '../../../src/assertions/recovered-within/probe-fix.ts';

const container = (probe: V1Container['readinessProbe']): V1Container => ({ name: 'api', image: 'shop/api:1', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: probe });
const http = (port: number | string, path = '/ready', extra = {}) => container({ httpGet: { path, port: port as never }, ...extra });
const field = 'spec.template.spec.containers[api].readinessProbe';

describe('readiness probe fix', () => {
  it.each([
    [
      'a port the container does not declare, whatever the kubelet said',
      http(9090),
      'Get "http://10.244.1.5:9090/ready": dial tcp 10.244.1.5:9090: connect: connection refused',
      `set ${field}.httpGet.port of Deployment shop to a port container api declares (http=8080); it probes 9090`,
    ],
    ['a named port that is not there', http('web'), undefined, `set ${field}.httpGet.port of Deployment shop to a port container api declares (http=8080); it probes web`],
    [
      'connection refused on a declared port',
      http('http'),
      'Get "http://10.244.1.5:8080/ready": dial tcp 10.244.1.5:8080: connect: connection refused',
      `nothing listens on port http in container api: set ${field}.httpGet.port of Deployment shop to the port it serves on (it declares http=8080)`,
    ],
    [
      'a probe that times out',
      http(8080, '/ready', { timeoutSeconds: 2 }),
      'Get "http://10.244.1.5:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      `raise ${field}.timeoutSeconds of Deployment shop (now 2 s), or make /ready answer faster`,
    ],
    ['a path that is not served', http(8080, '/healthz'), 'HTTP probe failed with statuscode: 404', `set ${field}.httpGet.path of Deployment shop to a path container api serves (/healthz answers 404)`],
    ['a check that reports unready', http(8080), 'HTTP probe failed with statuscode: 503', 'container api reports itself unready (/ready answers 503): fix what its health check depends on, or the check, in Deployment shop'],
    ['a check behind authentication', http(8080), 'HTTP probe failed with statuscode: 401', `exempt /ready from authentication in container api, or probe a path that needs none (${field}.httpGet.path of Deployment shop; it answers 401)`],
  ])('%s', (_name, c, said, fix) => {
    expect(readinessFix('shop', c, said)).toBe(fix);
  });

  it.each([
    ['the kubelet said nothing and the port is declared', http('http'), undefined],
    ['an exec probe that exits non-zero', container({ exec: { command: ['check'] } }), 'command "check" exited with 1'],
    ['a status it cannot read a cause from', http(8080), 'HTTP probe failed with statuscode: 418'],
  ])('says nothing when %s', (_name, c, said) => {
    expect(readinessFix('shop', c, said)).toBeUndefined();
  });
});

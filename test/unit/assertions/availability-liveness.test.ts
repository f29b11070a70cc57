// availability names liveness restarts as a window's cause: the kubelet's
// Killing and Unhealthy Events on the stack's pods, read back after the
// window (after a control-plane outage, once the kubelets could post them),
// with a fix that fits the probe: one that reaches out to a dependency is
// told to check the process alone; one of its own server's that timed out
// under load is told to wait longer.
import type { CoreV1Event, V1Deployment, V1Probe } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { WindowFacts } from '../../../src/assertions/availability/explain.ts';
import { explainRestarts, livenessKills, probeText, readLivenessKills } from '../../../src/assertions/availability/liveness.ts';
import type { Impact } from '../../../src/core/disruptions.ts';

const window = { start: Date.parse('2026-12-07T10:00:00Z'), end: Date.parse('2026-12-07T10:00:40Z') };
const at = (s: number) => new Date(window.start + s * 1000) as unknown as Date;

function event(reason: string, pod: string, message: string, s: number, extra: Partial<CoreV1Event> = {}): CoreV1Event {
  return { metadata: { name: `${pod}.${reason}.${s}` }, involvedObject: { kind: 'Pod', name: pod, namespace: 'shop', fieldPath: 'spec.containers{web}' }, reason, message, lastTimestamp: at(s), firstTimestamp: at(s), ...extra };
}
const killed = (pod: string, s: number, extra: Partial<CoreV1Event> = {}) => event('Killing', pod, 'Container web failed liveness probe, will be restarted', s, extra);
const unhealthy = (pod: string, s: number, what: string) => event('Unhealthy', pod, `Liveness probe failed: ${what}`, s);

const onApi: V1Probe = { exec: { command: ['/agent', 'connect', '--timeout', '1s', 'kubernetes.default.svc:443'] }, periodSeconds: 5, failureThreshold: 2 };
const ownHealthz: V1Probe = { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 };
const web = (probe: V1Probe): V1Deployment => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', livenessProbe: probe }] } } },
});
const outage: Impact = { faultId: 'api-down', faultType: 'control-plane-outage', t: window.start, disruption: { kind: 'control-plane-unreachable', nodes: ['cp'], message: 'TCP 6443 dropped' } };
const facts = (deployment: V1Deployment, impacts: Impact[] = []): WindowFacts => ({ namespace: 'shop', window, deployments: [deployment], budgets: [], podsAtStart: [], impacts, ready: () => [] });

describe('livenessKills reads the restarts of a window from the Events', () => {
  it('counts each Killing for a failed liveness probe in the window, with the pod’s last failure before it', () => {
    const kills = livenessKills(
      [
        unhealthy('web-5c97bfdfb9-aaaaa', 8, 'fail: dial tcp 10.96.0.1:443: i/o timeout'),
        killed('web-5c97bfdfb9-aaaaa', 10, { count: 2, firstTimestamp: at(10), lastTimestamp: at(30) }),
        killed('web-5c97bfdfb9-bbbbb', 12),
        // Outside the window, a readiness failure, a Killing for another reason: none counts.
        killed('web-5c97bfdfb9-ccccc', 90),
        event('Unhealthy', 'web-5c97bfdfb9-bbbbb', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 11),
        event('Killing', 'web-5c97bfdfb9-ddddd', 'Stopping container web', 15),
      ],
      window,
    );
    expect(kills).toEqual([
      { pod: 'web-5c97bfdfb9-aaaaa', container: 'web', count: 2, failure: 'fail: dial tcp 10.96.0.1:443: i/o timeout' },
      { pod: 'web-5c97bfdfb9-bbbbb', container: 'web', count: 1 },
    ]);
  });

  it('keeps a folded Event that began before the window and repeated inside it', () => {
    expect(livenessKills([killed('web-5c97bfdfb9-aaaaa', -30, { count: 3, lastTimestamp: at(5) })], window)).toHaveLength(1);
  });
});

describe('explainRestarts', () => {
  it('after a control-plane outage, names the probe that reached the API and tells to check the process alone', () => {
    const found = explainRestarts(facts(web(onApi), [outage]), [
      { pod: 'web-5c97bfdfb9-aaaaa', container: 'web', count: 2, failure: 'fail: dial tcp 10.96.0.1:443: i/o timeout' },
      { pod: 'web-5c97bfdfb9-bbbbb', container: 'web', count: 1 },
    ]);
    expect(found?.cause).toBe(
      'the kubelet restarted container web of Deployment shop/web 3 times in 2 pods during the window, while the API server was out of reach, because its liveness probe (exec `/agent connect --timeout 1s kubernetes.default.svc:443`, every 5s, 2 failures to restart) failed: fail: dial tcp 10.96.0.1:443: i/o timeout; a restarting container serves nothing until it is up again',
    );
    expect(found?.fix).toMatch(/^make the livenessProbe of container web in Deployment shop\/web \(now exec `\/agent connect .*`\) check only that the process itself answers: .*check dependencies in the readinessProbe instead/);
  });

  it('a probe of its own server that timed out under load is told to wait longer, with the values it has now', () => {
    const found = explainRestarts(facts(web(ownHealthz)), [{ pod: 'web-5c97bfdfb9-aaaaa', container: 'web', count: 1, failure: 'Get "http://10.244.1.5:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)' }]);
    expect(found?.cause).toMatch(/liveness probe \(httpGet \/healthz on port http, every 10s, 3 failures to restart\) failed: Get/);
    expect(found?.fix).toBe('raise timeoutSeconds (now 1s) and failureThreshold (now 3) of the livenessProbe of container web in Deployment shop/web, so a slow answer under load is not taken for a hung process');
  });

  it('says nothing when no restart was of the stack’s Deployments', () => {
    expect(explainRestarts(facts(web(onApi)), [])).toBeUndefined();
    expect(explainRestarts(facts(web(onApi)), [{ pod: 'other-5c97bfdfb9-aaaaa', container: 'other', count: 1 }])).toBeUndefined();
  });

  it('words every kind of probe', () => {
    expect(probeText({ tcpSocket: { host: '10.96.0.1', port: 443 } })).toBe('tcpSocket 10.96.0.1:443');
    expect(probeText({ grpc: { port: 9000 } })).toBe('grpc on port 9000');
    expect(probeText(undefined)).toBe('its liveness probe');
  });
});

describe('readLivenessKills', () => {
  it('after a blind window, asks again until the kubelets have posted their restarts', async () => {
    let calls = 0;
    const list = async () => (++calls < 2 ? [] : [killed('web-5c97bfdfb9-aaaaa', 10)]);
    const now = { start: Date.now() - 40_000, end: Date.now() };
    const kills = await readLivenessKills(
      async () => (await list()).map((e) => ({ ...e, firstTimestamp: new Date(now.start + 10_000) as unknown as Date, lastTimestamp: new Date(now.start + 10_000) as unknown as Date })),
      now,
      30_000,
      AbortSignal.timeout(10_000),
    );
    expect(calls).toBe(2);
    expect(kills).toHaveLength(1);
  });

  it('reads once when the window was not blind, and a failed read is no restarts', async () => {
    let calls = 0;
    const kills = await readLivenessKills(
      async () => {
        calls += 1;
        throw new Error('forbidden');
      },
      { start: Date.now() - 10_000, end: Date.now() },
      0,
      AbortSignal.timeout(5_000),
    );
    expect({ calls, kills }).toEqual({ calls: 1, kills: [] });
  });
});

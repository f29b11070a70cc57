// netpol-isolated on pods that do not run shakedown's agent: each gets the
// agent as an ephemeral container in a namespace that enforces restricted Pod
// Security, so its egress policy is probed from inside its own network
// namespace. Before, these pods could not originate a probe and every cell
// was unknown.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { netpolIsolated } from '../../src/assertions/netpol-isolated/index.ts';
import type { AssertionMonitor } from '../../src/assertions/types.ts';
import { KindCluster } from '../../src/clusters/kind/cluster.ts';
import { networkName } from '../../src/clusters/kind/provider.ts';
import { ensureImageInNodes } from '../../src/clusters/kind/load-images.ts';
import { agentImage } from '../../src/stack/sample.ts';
import { exec, must } from '../../src/tools/exec.ts';
import { assertionHarness } from './assertion-harness.ts';
import { E2E_CLUSTER } from './cluster-name.ts';

const kubeconfig = inject('kubeconfig');
const kubectl = (args: string[], input?: string) => must('kubectl', ['--kubeconfig', kubeconfig, ...args], input === undefined ? {} : { input });
const NS = 'e2e-netpol-any';
/** The agent under a name of the user's: it serves 8080, but netpol-isolated does not know it as its agent. */
const USER_IMAGE = 'e2e/web:1';

function deployment(app: string, replicas: number): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 2,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'web',
              image: USER_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['serve', '--listen', ':8080'],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

const objects = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } } },
  deployment('client', 2),
  deployment('web', 2),
  deployment('other', 1),
  // Clients may only reach the web pods: an egress policy, which only a probe from a client can test.
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'client-egress', namespace: NS },
    spec: { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-ingress', namespace: NS },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 8080 }] }] },
  },
];

describe('netpol-isolated probes from pods without the agent', () => {
  const { bus, controller, cleanup, context } = assertionHarness(kubeconfig, 'e2e-netpol-any');
  let monitor: AssertionMonitor;

  beforeAll(async () => {
    bus.on((e) => e.kind === 'log' && e.level !== 'debug' && console.log(`[netpol-any] ${e.message}`));
    await must('docker', ['tag', agentImage(), USER_IMAGE]);
    const cluster = new KindCluster({ provider: 'kind', name: E2E_CLUSTER, kubeconfig, network: networkName(E2E_CLUSTER), owned: true });
    const nodes = (await cluster.nodes.list()).filter((m) => m.running).map((m) => m.name);
    await ensureImageInNodes(USER_IMAGE, nodes, bus);
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
    await kubectl(['apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
    for (const d of ['client', 'web', 'other']) await kubectl(['-n', NS, 'rollout', 'status', `deployment/${d}`, '--timeout=180s']);
    monitor = await netpolIsolated.start(context({ name: 'isolation', type: 'netpol-isolated', params: { probePods: false } }, NS), netpolIsolated.params.parse({ probePods: false, policies: 'live' }));
  });

  afterAll(async () => {
    controller.abort();
    await monitor?.stop();
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
  });

  it('judges every cell, egress from the clients included, through ephemeral agents that restricted Pod Security admitted', async () => {
    const outcome = await monitor.steadyState!(controller.signal);
    console.log(`[netpol-any] steady state: ${outcome.status}: ${outcome.message}`);
    // 5 pods, 20 ordered pairs on 8080. Denied: client -> other and client -> client (egress), web -> web and other -> web (ingress).
    expect(outcome.status, outcome.message).toBe('passed');
    expect(outcome.message).toBe('all 20 cells as the policies say (12 allowed, 8 denied); judged 20 of 20 cells (100%); every Ready pod probed as a destination');
    expect(outcome.details).toMatchObject({ unknown: 0, right: 20 });

    const pods = JSON.parse(await kubectl(['-n', NS, 'get', 'pods', '-o', 'json'])) as {
      items: Array<{ spec: { ephemeralContainers?: Array<{ name: string; command: string[]; securityContext: object }> }; status: { ephemeralContainerStatuses?: Array<{ name: string; state: { running?: object } }> } }>;
    };
    expect(pods.items).toHaveLength(5);
    for (const pod of pods.items) {
      expect(pod.spec.ephemeralContainers?.map((c) => c.name)).toEqual(['shakedown-probe-1']);
      expect(pod.spec.ephemeralContainers![0]!.command).toEqual(['/agent', 'idle', '--for', '900s']);
      expect(pod.status.ephemeralContainerStatuses?.[0]?.state.running).toBeDefined();
    }
  });

  it('measures again through the same containers, adding none', async () => {
    const outcome = await monitor.recovery!(controller.signal, Date.now());
    expect(outcome.status, outcome.message).toBe('passed');
    const names = await kubectl(['-n', NS, 'get', 'pods', '-o', 'jsonpath={range .items[*]}{.spec.ephemeralContainers[*].name}{"\\n"}{end}']);
    expect(names.trim().split('\n')).toEqual(Array(5).fill('shakedown-probe-1'));
  });
});

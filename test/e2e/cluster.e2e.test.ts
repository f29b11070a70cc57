// The cluster tier: a real multi-node kind cluster (1 control-plane, 2
// workers, 1 tainted spare) with kube-router, on the fenced network.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { fenceRules } from '../../src/clusters/kind/fence.ts';
import { KindCluster } from '../../src/clusters/kind/cluster.ts';
import { networkName } from '../../src/clusters/kind/provider.ts';
import { EventBus } from '../../src/core/events.ts';
import { ensureImageInNodes } from '../../src/clusters/kind/load-images.ts';
import { agentImage } from '../../src/stack/sample.ts';
import { exec, must } from '../../src/tools/exec.ts';
import { Sink, SINK_IP } from '../support/sink.ts';
import { E2E_CLUSTER } from './cluster-name.ts';

const kubeconfig = inject('kubeconfig');
const kubectl = (args: string[], input?: string) => must('kubectl', ['--kubeconfig', kubeconfig, ...args], input === undefined ? {} : { input });
const NS = 'e2e-net';

function pod(name: string, node: string, labels: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'agent', image: agentImage(), imagePullPolicy: 'IfNotPresent', args: ['serve', '--listen', ':8080'], ports: [{ containerPort: 8080, name: 'http' }] }],
    },
  };
}

/** Runs the agent's HTTP probe inside the client pod. */
async function probe(url: string) {
  return exec('kubectl', ['--kubeconfig', kubeconfig, '-n', NS, 'exec', 'client', '--', '/agent', 'http', '--timeout', '2s', url]);
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return check();
}

describe('a real kind cluster', () => {
  const cluster = new KindCluster({ provider: 'kind', name: E2E_CLUSTER, kubeconfig, network: networkName(E2E_CLUSTER), owned: true });
  let workers: string[] = [];

  beforeAll(async () => {
    const machines = await cluster.nodes.list();
    const nodes = JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])) as { items: Array<{ metadata: { name: string; labels: Record<string, string> } }> };
    const spare = new Set(nodes.items.filter((n) => n.metadata.labels['shakedown.dev/role'] === 'spare').map((n) => n.metadata.name));
    workers = machines.filter((m) => m.role === 'worker' && !spare.has(m.name)).map((m) => m.name);
    await ensureImageInNodes(
      agentImage(),
      machines.map((m) => m.name),
      new EventBus(),
    );
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=true']);
    await kubectl(['create', 'namespace', NS]);
    const objects = [
      pod('server', workers[1]!, { app: 'server' }),
      pod('client', workers[0]!, { app: 'client' }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', namespace: NS }, spec: { selector: { app: 'server' }, ports: [{ port: 80, targetPort: 8080 }] } },
    ];
    await kubectl(['apply', '-f', '-'], objects.map((o) => stringify(o)).join('---\n'));
    await kubectl(['-n', NS, 'wait', '--for=condition=Ready', 'pod/server', 'pod/client', '--timeout=120s']);
  });

  afterAll(async () => {
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'delete', 'namespace', NS, '--ignore-not-found', '--wait=false']);
  });

  it('has every node Ready: 1 control-plane, 2 workers and a tainted spare', async () => {
    const info = await cluster.info();
    expect(info.nodes.map((n) => n.role).sort()).toEqual(['control-plane', 'spare', 'worker', 'worker']);
    expect(info.nodes.every((n) => n.ready)).toBe(true);
    expect(info.kubernetesVersion).toBe('v1.34.10');
    const taints = await kubectl(['get', 'nodes', '-l', 'shakedown.dev/role=spare', '-o', 'jsonpath={.items[*].spec.taints[*].key}']);
    expect(taints).toContain('shakedown.dev/spare');
  });

  it('a pod on one worker reaches a Service backed by a pod on the other', async () => {
    // kube-proxy programs a new Service's endpoints within seconds, not at once.
    let out = await probe(`http://server.${NS}.svc.cluster.local/`);
    await eventually(async () => (out = await probe(`http://server.${NS}.svc.cluster.local/`)).exitCode === 0, 30_000);
    expect(out.exitCode, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('server');
  });

  it('a default-deny NetworkPolicy blocks that traffic, and removing it restores it', async () => {
    const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-server', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress'] } };
    await kubectl(['apply', '-f', '-'], stringify(deny));
    expect(await eventually(async () => (await probe(`http://server.${NS}.svc.cluster.local/`)).exitCode !== 0, 20_000)).toBe(true);
    // Still blocked a moment later: enforcement, not a blip.
    expect((await probe(`http://server.${NS}.svc.cluster.local/`)).exitCode).not.toBe(0);
    await kubectl(['-n', NS, 'delete', 'networkpolicy', 'deny-server']);
    expect(await eventually(async () => (await probe(`http://server.${NS}.svc.cluster.local/`)).exitCode === 0, 20_000)).toBe(true);
  });

  describe('the fence', () => {
    const sink = new Sink();
    beforeAll(() => sink.start());
    afterAll(() => sink.stop());

    it('rejects a pod connecting to an address off the cluster network, at once, while the host still reaches the API server', async () => {
      // Preconditions: the sink is routed locally and the fence is in place above Docker's RETURN.
      expect(sink.routedLocally()).toBe(true);
      const rules = await fenceRules(E2E_CLUSTER);
      expect(rules.some((r) => r.includes('tcp-reset'))).toBe(true);
      const chain = (await must('iptables', ['-w', '-S', 'DOCKER-USER'])).split('\n');
      const tcpRule = chain.findIndex((l) => l.includes(`shakedown:${E2E_CLUSTER}`) && l.includes('tcp-reset'));
      expect(tcpRule).toBeGreaterThan(-1);
      expect(tcpRule).toBeLessThan(chain.findIndex((l) => l.endsWith('-j RETURN')));

      const counter = async () => {
        const out = await must('iptables', ['-w', '-v', '-x', '-n', '-L', 'DOCKER-USER']);
        const line = out.split('\n').find((l) => l.includes(`shakedown:${E2E_CLUSTER}`) && l.includes('tcp-reset'));
        return Number(line?.trim().split(/\s+/)[0] ?? NaN);
      };
      const before = await counter();
      const started = Date.now();
      const out = await exec('kubectl', ['--kubeconfig', kubeconfig, '-n', NS, 'exec', 'client', '--', '/agent', 'connect', '--timeout', '3s', `${SINK_IP}:80`]);
      const elapsed = Date.now() - started;
      const after = await counter();
      expect(out.stdout).not.toContain('ok');
      expect(out.stdout).toMatch(/refused|reset/);
      expect(after).toBeGreaterThan(before);
      console.log(`[fence] probe rejected in ${elapsed} ms (kubectl exec included); TCP reset counter ${before} -> ${after}`);
      // An HTTP request gets no SINK marker back.
      expect((await probe(`http://${SINK_IP}/`)).stdout).not.toContain('SINK');
      // Host to container traffic is untouched.
      expect(await kubectl(['get', '--raw', '/readyz'])).toBe('ok');
    });
  });
});

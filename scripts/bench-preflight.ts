// Benchmark (not a test): `shakedown preflight` on a cluster far bigger than
// a laptop's, 1,000 nodes and 30,000 pods by default. kwok is not among the
// packages these machines can build, so the objects are made directly in a
// kind cluster's API server, as kwok would leave them: Nodes Ready with room,
// Deployments with their ReplicaSets, pods bound to the fake nodes and
// Running, a budget per Deployment (1% of them too strict, so there are
// blockers to find). The controller-manager is stopped first: no kubelet
// heartbeats those nodes, and nothing may reconcile the objects away (nor
// lift the not-ready taint the API server puts on every new node: the
// script lifts it itself).
// With --populated, the objects are already there (a rerun with --keep).
//   node scripts/bench-preflight.ts [--nodes 1000] [--pods 30000] [--runs 3] [--keep]
// Then preflight runs as a user runs it, timed with /usr/bin/time: wall time
// and peak resident memory, against the targets (under 10 s, under 500 MB).
import { AppsV1Api, CoreV1Api, PatchStrategy, PolicyV1Api, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { parseArgs } from 'node:util';
import { loadKubeConfig } from '../src/kube/client.ts';
import { exec, must } from '../src/tools/exec.ts';

const { values } = parseArgs({
  options: { nodes: { type: 'string', default: '1000' }, pods: { type: 'string', default: '30000' }, runs: { type: 'string', default: '3' }, keep: { type: 'boolean', default: false }, populated: { type: 'boolean', default: false } },
});
const NODES = Number(values.nodes);
const PODS = Number(values.pods);
const REPLICAS = 10;
const DEPLOYMENTS = Math.ceil(PODS / REPLICAS);
const NAMESPACES = 50;
const CLUSTER = 'bench-preflight';
const CONCURRENCY = 48;
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Runs `work` over `items` with at most CONCURRENCY calls in flight; reports the rate. */
async function pool<T>(what: string, items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      for (let attempt = 1; ; attempt++) {
        try {
          await work(item);
          break;
        } catch (error) {
          const code = (error as { code?: number }).code;
          if (code === 409) break; // already there: a rerun with --keep
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${what.padEnd(34)} ${String(items.length).padStart(6)} in ${seconds.toFixed(1).padStart(6)} s (${Math.round(items.length / seconds)}/s)`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const pad = (i: number, width: number) => String(i).padStart(width, '0');
const nodeName = (i: number) => `bench-node-${pad(i, 4)}`;
const namespaceOf = (d: number) => `bench-${pad(d % NAMESPACES, 2)}`;
const deploymentName = (d: number) => `app-${pad(d, 5)}`;

async function populate(config: KubeConfig): Promise<void> {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const policy = config.makeApiClient(PolicyV1Api);
  const now = new Date();
  await pool('nodes', range(NODES), (i) =>
    core.createNode({
      body: {
        metadata: { name: nodeName(i), labels: { 'kubernetes.io/hostname': nodeName(i), 'topology.kubernetes.io/zone': `zone-${'abc'[i % 3]}`, 'shakedown.dev/bench': 'true' } },
      },
    }),
  );
  await pool('node status (Ready, 32 CPU, 128Gi)', range(NODES), (i) =>
    core.patchNodeStatus(
      {
        name: nodeName(i),
        body: {
          status: {
            capacity: { cpu: '32', memory: '128Gi', pods: '110' },
            allocatable: { cpu: '32', memory: '128Gi', pods: '110' },
            conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'bench', lastHeartbeatTime: now, lastTransitionTime: now }],
            nodeInfo: { kubeletVersion: 'v1.34.10', kubeProxyVersion: 'v1.34.10', machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '', operatingSystem: 'linux', architecture: 'amd64' },
          },
        },
      },
      MERGE_PATCH,
    ),
  );
  // The API server taints every new node not-ready (TaintNodesByCondition); the stopped controller-manager would lift it.
  await pool('node taints lifted', range(NODES), (i) => core.patchNode({ name: nodeName(i), body: { spec: { taints: null } } }, MERGE_PATCH));
  await pool('namespaces and service accounts', range(NAMESPACES), async (n) => {
    const namespace = namespaceOf(n);
    await core.createNamespace({ body: { metadata: { name: namespace } } }).catch((e) => ((e as { code?: number }).code === 409 ? undefined : Promise.reject(e)));
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'default' } } });
  });
  const labels = (d: number) => ({ app: deploymentName(d) });
  const template = (d: number) => ({
    metadata: { labels: labels(d) },
    spec: {
      automountServiceAccountToken: false,
      containers: [{ name: 'app', image: 'shakedown/agent:v0.4.0', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
      // Half spread over nodes, as teams that care write it.
      ...(d % 2 === 0 && { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' as const, labelSelector: { matchLabels: labels(d) } }] }),
    },
  });
  const deploymentUids = new Map<number, string>();
  await pool('deployments', range(DEPLOYMENTS), async (d) => {
    const made = await apps.createNamespacedDeployment({ namespace: namespaceOf(d), body: { metadata: { name: deploymentName(d) }, spec: { replicas: REPLICAS, selector: { matchLabels: labels(d) }, template: template(d) } } });
    deploymentUids.set(d, made.metadata!.uid!);
  });
  const replicaSetUids = new Map<number, string>();
  await pool('replicasets', range(DEPLOYMENTS), async (d) => {
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName(d), uid: deploymentUids.get(d) ?? '00000000-0000-0000-0000-000000000000', controller: true };
    const made = await apps.createNamespacedReplicaSet({
      namespace: namespaceOf(d),
      body: { metadata: { name: `${deploymentName(d)}-rs`, ownerReferences: [owner] }, spec: { replicas: REPLICAS, selector: { matchLabels: labels(d) }, template: template(d) } },
    });
    replicaSetUids.set(d, made.metadata!.uid!);
  });
  // One budget per Deployment; one in a hundred keeps every pod, which no drain can pass.
  await pool('poddisruptionbudgets', range(DEPLOYMENTS), (d) =>
    policy.createNamespacedPodDisruptionBudget({ namespace: namespaceOf(d), body: { metadata: { name: deploymentName(d) }, spec: { selector: { matchLabels: labels(d) }, ...(d % 100 === 0 ? { minAvailable: '100%' } : { maxUnavailable: 1 }) } } }),
  );
  const pods = range(DEPLOYMENTS * REPLICAS).slice(0, PODS);
  const podName = (p: number) => `${deploymentName(Math.floor(p / REPLICAS))}-${pad(p % REPLICAS, 2)}`;
  await pool('pods (bound to the fake nodes)', pods, (p) => {
    const d = Math.floor(p / REPLICAS);
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${deploymentName(d)}-rs`, uid: replicaSetUids.get(d) ?? '00000000-0000-0000-0000-000000000000', controller: true };
    const t = template(d);
    return core.createNamespacedPod({ namespace: namespaceOf(d), body: { metadata: { name: podName(p), labels: t.metadata.labels, ownerReferences: [owner] }, spec: { ...t.spec, nodeName: nodeName((d * 7 + (p % REPLICAS) * 97) % NODES) } } });
  });
  await pool('pod status (Running, Ready)', pods, (p) =>
    core.patchNamespacedPodStatus(
      {
        name: podName(p),
        namespace: namespaceOf(Math.floor(p / REPLICAS)),
        body: {
          status: {
            phase: 'Running',
            conditions: [
              { type: 'PodScheduled', status: 'True' },
              { type: 'Initialized', status: 'True' },
              { type: 'ContainersReady', status: 'True' },
              { type: 'Ready', status: 'True' },
            ],
          },
        },
      },
      MERGE_PATCH,
    ),
  );
}

await must(process.execPath, ['bin/shakedown.js', 'cluster', 'up', '--name', CLUSTER]);
const kubeconfig = `.shakedown/clusters/${CLUSTER}/kubeconfig`;
const config = loadKubeConfig(kubeconfig);
// Nothing may reconcile the fake objects away, nor mark the fake nodes NotReady.
await exec('docker', ['exec', `${CLUSTER}-control-plane`, 'mv', '/etc/kubernetes/manifests/kube-controller-manager.yaml', '/etc/kubernetes/kube-controller-manager.yaml.stopped']);
if (!values.populated) {
  console.log(`populating ${CLUSTER}: ${NODES} nodes, ${DEPLOYMENTS} deployments of ${REPLICAS}, ${PODS} pods, ${DEPLOYMENTS} budgets`);
  await populate(config);
}

console.log(`preflight --context ${config.getCurrentContext()} (each run reads everything once and simulates the whole rolling drain):`);
const walls: number[] = [];
const peaks: number[] = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const out = await exec('/usr/bin/time', ['-f', 'BENCH %e %M', process.execPath, 'bin/shakedown.js', 'preflight', '--context', config.getCurrentContext(), '--kubeconfig', kubeconfig, '--format', 'json']);
  const [, wall, kb] = /BENCH ([\d.]+) (\d+)/.exec(out.stderr) ?? [];
  let summary = '';
  try {
    const report = JSON.parse(out.stdout) as { cluster: { nodes: number; pods: number }; blockers: number; warnings: number; timings: { readMs: number; analyseMs: number } };
    summary = `; read ${report.cluster.nodes} nodes and ${report.cluster.pods} pods in ${(report.timings.readMs / 1000).toFixed(2)} s, analysed in ${(report.timings.analyseMs / 1000).toFixed(2)} s; ${report.blockers} blockers, ${report.warnings} warnings`;
  } catch {
    summary = `; output not JSON: ${out.stderr.slice(-300)}`;
  }
  walls.push(Number(wall));
  peaks.push(Number(kb) / 1024);
  console.log(`  run ${run}: exit ${out.exitCode}, wall ${Number(wall).toFixed(2)} s, peak RSS ${(Number(kb) / 1024).toFixed(0)} MB${summary}`);
}
walls.sort((a, b) => a - b);
console.log(`preflight on ${NODES} nodes / ${PODS} pods: median wall ${walls[Math.floor(walls.length / 2)]!.toFixed(2)} s (target < 10 s), peak RSS ${Math.max(...peaks).toFixed(0)} MB (target < 500 MB)`);
if (!values.keep) await must(process.execPath, ['bin/shakedown.js', 'cluster', 'down', '--name', CLUSTER]);
process.exit(0);

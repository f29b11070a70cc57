// Benchmark (not a test): detection latency of a ready-replica drop, from
// the API call that removes a ready pod to the moment shakedown's watch
// records the lower healthy count. Needs a cluster with the sample stack:
//   node scripts/bench-detection.ts [kubeconfig] [namespace] [tries]
import { isHealthy } from '../src/assertions/shared/pods.ts';
import { ClientKubeApi, loadKubeConfig } from '../src/kube/client.ts';
import { watchPods } from '../src/kube/watch.ts';

const [kubeconfig = '.shakedown/clusters/shakedown-e2e/kubeconfig', namespace = 'shakedown-stack', tries = '5'] = process.argv.slice(2);
const config = loadKubeConfig(kubeconfig);
const kube = new ClientKubeApi(config);
let waiter: { name: string; resolve: (t: number) => void } | undefined;
const watched = await watchPods(config, namespace, (pod) => {
  if (waiter && pod.metadata?.name === waiter.name && !isHealthy(pod)) waiter.resolve(performance.now());
});
const latencies: number[] = [];
for (let i = 0; i < Number(tries); i++) {
  const victim = watched.list().find((p) => isHealthy(p) && p.metadata?.labels?.app === 'frontend');
  if (!victim) break;
  const seen = new Promise<number>((resolve) => (waiter = { name: victim.metadata!.name!, resolve }));
  const t0 = performance.now();
  await kube.deletePod(namespace, victim.metadata!.name!, 5);
  latencies.push((await seen) - t0);
  await new Promise((r) => setTimeout(r, 8000)); // let the replacement become ready
}
await watched.stop();
latencies.sort((a, b) => a - b);
console.log(`ready-replica drop detection over ${latencies.length} pod deletions: min ${latencies[0]?.toFixed(0)} ms, median ${latencies[Math.floor(latencies.length / 2)]?.toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms (target < 1000 ms)`);
process.exit(0);

// One preflight: read the cluster once, analyse in memory, confirm each
// node's first eviction with a dry run (one per kind of pod: same workload,
// budget and health), and add what the apiserver's own deprecated-API
// metric says.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { parseDeprecatedApiMetric } from './deprecated-metric.ts';
import type { Finding } from './findings.ts';
import type { KubeVersion } from './k8s-version.ts';
import { apiserverMetrics, dryRunEviction, readCluster, type ClusterRead } from './live.ts';
import type { ManifestScan } from './manifest-apis.ts';
import { podKey } from './model.ts';
import { analyse, tally, withDryRuns, type DryRunResult, type PreflightReport } from './report.ts';

/** What preflight asks of a cluster: reads, and dry runs. */
export interface PreflightCluster {
  read(): Promise<ClusterRead>;
  dryRunEviction(pod: string): Promise<DryRunResult>;
  metrics(): Promise<{ text: string } | { error: string }>;
}

export function liveCluster(config: KubeConfig): PreflightCluster {
  const core = config.makeApiClient(CoreV1Api);
  return { read: () => readCluster(config), dryRunEviction: (pod) => dryRunEviction(core, pod), metrics: () => apiserverMetrics(config) };
}

export interface PreflightOptions {
  context: string;
  namespaces?: string[];
  target?: KubeVersion;
  manifests?: ManifestScan;
  /** Dry-run evictions in flight at once. */
  concurrency?: number;
}

export async function runPreflight(cluster: PreflightCluster, options: PreflightOptions): Promise<PreflightReport> {
  const started = performance.now();
  const { snapshot, warnings } = await cluster.read();
  const read = performance.now();

  const findings: Finding[] = [...warnings];
  let deprecatedApis;
  if (options.target) {
    const metrics = await cluster.metrics();
    if ('text' in metrics) deprecatedApis = parseDeprecatedApiMetric(metrics.text);
    else
      findings.push({
        severity: 'warning',
        check: 'deprecated-api-in-use',
        object: 'GET /metrics',
        message: `the apiserver's apiserver_requested_deprecated_apis metric could not be read (${metrics.error}), so APIs in use on the cluster are not checked`,
        fix: 'grant get on the non-resource URL /metrics, or check the metric yourself',
      });
  }

  const analysing = performance.now();
  const report = analyse(snapshot, {
    context: options.context,
    ...(options.namespaces && { namespaces: options.namespaces }),
    ...(options.target && { versions: { target: options.target, ...(options.manifests && { manifests: options.manifests }), ...(deprecatedApis && { deprecatedApis }) } }),
  });
  const analysed = performance.now();

  // Per node, its first eviction and its first refused one, of pods that are there now (not moved
  // there by an earlier drain), confirmed by the API server against the cluster as it is.
  const homeOf = new Map(snapshot.pods.map((p) => [podKey(p), p.nodeName]));
  const targets = report.drain.nodes.flatMap((n) => {
    const home = n.evictions.filter((e) => homeOf.get(e.pod) === n.node);
    const pods = [(home[0] ?? n.evictions[0])?.pod, home.find((e) => e.outcome === 'refused')?.pod].filter((p): p is string => p !== undefined);
    return [...new Set(pods)].map((pod) => ({ node: n.node, pod }));
  });
  // The API server's answer depends on the pod's budgets and health, and on its workload for any eviction
  // webhook: pods alike in all of these get the same answer, so one dry run per kind answers them all.
  const podOf = new Map(snapshot.pods.map((p) => [podKey(p), p]));
  const budgetOf = new Map(report.drain.nodes.flatMap((n) => n.evictions.map((e) => [e.pod, `${e.budget ?? ''}|${e.cause ?? ''}`] as const)));
  const kindOf = (pod: string) => {
    const info = podOf.get(pod);
    const owner = info?.workload ?? info?.controller;
    return info && owner ? `${info.namespace}/${owner.kind}/${owner.name}|${budgetOf.get(pod) ?? ''}|${info.ready}|${info.phase}|${info.terminating}` : pod;
  };
  const asked = new Map<string, string>();
  for (const t of targets) if (!asked.has(kindOf(t.pod))) asked.set(kindOf(t.pod), t.pod);
  const answers = new Map<string, DryRunResult>();
  await inBatches([...asked.values()], options.concurrency ?? 32, async (pod) => {
    answers.set(pod, await cluster.dryRunEviction(pod));
  });
  const dryRuns: Record<string, DryRunResult[]> = {};
  for (const t of targets) {
    const askedFor = asked.get(kindOf(t.pod))!;
    const answer = answers.get(askedFor)!;
    (dryRuns[t.node] ??= []).push(askedFor === t.pod ? answer : { ...answer, pod: t.pod, sameAs: askedFor });
  }
  const all = withDryRuns([...findings, ...report.findings], report.drain, dryRuns);
  return { ...report, dryRuns, ...tally(all), timings: { readMs: Math.round(read - started), analyseMs: Math.round(analysed - analysing) } };
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

// One preflight: read the cluster once, analyse in memory, confirm each
// node's drain with dry-run evictions (dry-run-targets.ts says which), and
// add what the apiserver's own deprecated-API metric says.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { parseDeprecatedApiMetric } from './deprecated-metric.ts';
import type { Finding } from './findings.ts';
import type { KubeVersion } from './k8s-version.ts';
import { apiserverMetrics, dryRunEviction, readCluster, type ClusterRead } from './live.ts';
import type { ManifestScan } from './manifest-apis.ts';
import { dryRunTargets } from './dry-run-targets.ts';
import { forEachLimited } from '../core/pool.ts';
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

  const { targets, asked } = dryRunTargets(report.drain, snapshot.pods);
  const answers = new Map<string, DryRunResult>();
  await forEachLimited(asked, options.concurrency ?? 32, async (pod) => {
    answers.set(pod, await cluster.dryRunEviction(pod));
  });
  const dryRuns: Record<string, DryRunResult[]> = {};
  for (const t of targets) {
    const answer = answers.get(t.askedFor)!;
    (dryRuns[t.node] ??= []).push(t.askedFor === t.pod ? answer : { ...answer, pod: t.pod, sameAs: t.askedFor });
  }
  const all = withDryRuns([...findings, ...report.findings], report.drain, dryRuns);
  return { ...report, dryRuns, ...tally(all), timings: { readMs: Math.round(read - started), analyseMs: Math.round(analysed - analysing) } };
}

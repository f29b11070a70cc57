// preflight's only contact with the cluster, through client-node: paged
// lists read once, GET /version and /metrics, and server-side dry-run
// evictions. Nothing here writes: the one POST is an Eviction with
// dryRun All, in the query and in its deleteOptions both.
import { AppsV1Api, CoreV1Api, HttpMethod, IsomorphicFetchHttpLibrary, PolicyV1Api, RequestContext, VersionApi, type KubeConfig } from '@kubernetes/client-node';
import { InfraError } from '../errors.ts';
import { apiMessage } from '../kube/client.ts';
import type { Finding } from './findings.ts';
import { budgetFromApi, nodeFromApi, podFromApi, workloadsFromApi } from './from-api.ts';
import type { Snapshot } from './model.ts';
import type { DryRunResult } from './report.ts';

const PAGE = 500;

function statusOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

function why(error: unknown): string {
  const code = statusOf(error);
  return code ? `HTTP ${code}: ${apiMessage(error)}` : ((error as Error).message ?? String(error));
}

/** Every item of a list, page by page, each page mapped before the next is read. */
async function listAll<I, O>(page: (cont: string | undefined) => Promise<{ items: I[]; metadata?: { _continue?: string } }>, map: (item: I) => O): Promise<O[]> {
  const out: O[] = [];
  let cont: string | undefined;
  do {
    const list = await page(cont);
    for (const item of list.items) out.push(map(item));
    cont = list.metadata?._continue || undefined;
  } while (cont);
  return out;
}

export interface ClusterRead {
  snapshot: Snapshot;
  /** Lists that could not be read but the analysis can do without, said plainly. */
  warnings: Finding[];
}

/** Reads the cluster once; nodes, pods and budgets are required (exit 3 without them). */
export async function readCluster(config: KubeConfig): Promise<ClusterRead> {
  const core = config.makeApiClient(CoreV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const policy = config.makeApiClient(PolicyV1Api);
  const warnings: Finding[] = [];
  const required = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      throw new InfraError(`cannot read the cluster: listing ${what} failed (${why(error)})`, { cause: error });
    }
  };
  const optional = async <T>(what: string, read: () => Promise<T[]>, without: string): Promise<T[]> => {
    try {
      return await read();
    } catch (error) {
      warnings.push({ severity: 'warning', check: 'read', object: what, message: `could not list ${what} (${why(error)}); ${without}`, fix: `grant list on ${what}` });
      return [];
    }
  };
  const limit = PAGE;
  const [nodes, budgets, deployments, replicaSets, statefulSets, replicationControllers, namespaces, serverVersion] = await Promise.all([
    required('nodes', () => listAll((c) => core.listNode({ limit, ...(c && { _continue: c }) }), nodeFromApi)),
    required('poddisruptionbudgets', () => listAll((c) => policy.listPodDisruptionBudgetForAllNamespaces({ limit, ...(c && { _continue: c }) }), budgetFromApi)),
    optional(
      'deployments',
      () =>
        listAll(
          (c) => apps.listDeploymentForAllNamespaces({ limit, ...(c && { _continue: c }) }),
          (d) => d,
        ),
      'budgets counted by percentage or maxUnavailable fall back to their status',
    ),
    optional(
      'replicasets',
      () =>
        listAll(
          (c) => apps.listReplicaSetForAllNamespaces({ limit, ...(c && { _continue: c }) }),
          (r) => r,
        ),
      'pods cannot be traced to their Deployments',
    ),
    optional(
      'statefulsets',
      () =>
        listAll(
          (c) => apps.listStatefulSetForAllNamespaces({ limit, ...(c && { _continue: c }) }),
          (s) => s,
        ),
      'their replica counts are unknown',
    ),
    optional(
      'replicationcontrollers',
      () =>
        listAll(
          (c) => core.listReplicationControllerForAllNamespaces({ limit, ...(c && { _continue: c }) }),
          (r) => r,
        ),
      'their replica counts are unknown',
    ),
    optional(
      'namespaces',
      () =>
        listAll(
          (c) => core.listNamespace({ limit, ...(c && { _continue: c }) }),
          (n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}] as const,
        ),
      'affinity terms with a namespaceSelector see only the namespaces they name',
    ),
    config
      .makeApiClient(VersionApi)
      .getCode()
      .then(
        (v) => v.gitVersion,
        () => undefined,
      ),
  ]);
  const { workloads, workloadOfReplicaSet } = workloadsFromApi({ deployments, replicaSets, statefulSets, replicationControllers });
  // Pods last, mapped page by page: the biggest list never sits in memory whole.
  const pods = await required('pods', () =>
    listAll(
      (c) => core.listPodForAllNamespaces({ limit, ...(c && { _continue: c }) }),
      (p) => podFromApi(p, workloadOfReplicaSet),
    ),
  );
  return {
    snapshot: { nodes, pods, budgets, workloads, ...(namespaces.length && { namespaceLabels: Object.fromEntries(namespaces) }), ...(serverVersion && { serverVersion }) },
    warnings,
  };
}

/** A server-side dry run of one eviction: the budgets are checked as for a real one, and nothing is evicted. */
export async function dryRunEviction(config: KubeConfig, pod: string): Promise<DryRunResult> {
  const [namespace, name] = pod.split('/') as [string, string];
  try {
    await config.makeApiClient(CoreV1Api).createNamespacedPodEviction({
      name,
      namespace,
      dryRun: 'All',
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions: { dryRun: ['All'] } },
    });
    return { pod, result: 'allowed' };
  } catch (error) {
    const code = statusOf(error);
    // 429: a budget refuses now; 500 "more than one PodDisruptionBudget": the API cannot evict it at all.
    if (code === 429 || (code === 500 && /more than one PodDisruptionBudget/i.test(apiMessage(error)))) return { pod, result: 'refused', message: apiMessage(error) };
    if (code === 403 || code === 401) return { pod, result: 'forbidden', message: why(error) };
    return { pod, result: 'failed', message: why(error) };
  }
}

/** GET /metrics from the apiserver; undefined with the reason when it cannot be had (forbidden, say). */
export async function apiserverMetrics(config: KubeConfig): Promise<{ text: string } | { error: string }> {
  const cluster = config.getCurrentCluster();
  if (!cluster) return { error: 'no cluster in the kubeconfig context' };
  try {
    const request = new RequestContext(`${cluster.server.replace(/\/$/, '')}/metrics`, HttpMethod.GET);
    request.setHeaderParam('Accept', 'text/plain');
    await config.applySecurityAuthentication(request);
    const response = await new IsomorphicFetchHttpLibrary().send(request).toPromise();
    const body = await response.body.text();
    if (response.httpStatusCode !== 200) return { error: `HTTP ${response.httpStatusCode}: ${body.slice(0, 200).trim()}` };
    return { text: body };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// preflight's only contact with the cluster, through client-node: paged
// lists read once, GET /version and /metrics, and server-side dry-run
// evictions. Nothing here writes: the one POST is an Eviction with
// dryRun All, in the query and in its deleteOptions both.
import {
  type CoreV1Api,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  VersionApi,
  type KubeConfig,
  type V1Deployment,
  type V1Namespace,
  type V1Pod,
  type V1ReplicaSet,
  type V1ReplicationController,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { InfraError } from '../errors.ts';
import { forEachLimited } from '../core/pool.ts';
import { apiMessage } from '../kube/client.ts';
import type { Finding } from './findings.ts';
import { budgetFromApi, nodeFromApi, podFromApi, workloadsFromApi } from './from-api.ts';
import type { ObjectRef, PodInfo, Snapshot } from './model.ts';
import type { DryRunResult } from './report.ts';

const PAGE = 500;
const NO_REPLICA_SETS: ReadonlyMap<string, ObjectRef> = new Map();

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

/**
 * A list read as plain JSON, page by page: for the pods, the one list that
 * grows with the cluster, client-node's typed deserialisation costs more CPU
 * than the API server takes to answer (30,000 pods: seconds). The objects
 * keep the API's own field names, so the same mappers read them.
 */
async function listRaw<O>(config: KubeConfig, path: string, map: (item: never) => O): Promise<O[]> {
  const server = config.getCurrentCluster()?.server.replace(/\/$/, '');
  if (!server) throw new Error('no cluster in the kubeconfig context');
  const http = new IsomorphicFetchHttpLibrary();
  return listAll(async (cont) => {
    const request = new RequestContext(`${server}${path}?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, HttpMethod.GET);
    request.setHeaderParam('Accept', 'application/json');
    await config.applySecurityAuthentication(request);
    const response = await http.send(request).toPromise();
    const body = await response.body.text();
    if (response.httpStatusCode !== 200) throw Object.assign(new Error(body.slice(0, 300).trim()), { code: response.httpStatusCode, body });
    const list = JSON.parse(body) as { items: never[]; metadata?: { continue?: string } };
    return { items: list.items, metadata: { _continue: list.metadata?.continue } };
  }, map);
}

/** Namespaces whose pods are listed at once: a list is paged in turn, so one per namespace lets pages of several be in flight. */
const POD_LISTS_IN_FLIGHT = 4;

/** Every pod: namespace by namespace, several at once, when the namespaces can be listed; else one cluster-wide list. */
async function readPods(config: KubeConfig, namespaces: Promise<ReadonlyArray<readonly [string, unknown]>>): Promise<PodInfo[]> {
  const names = await namespaces.then(
    (list) => list.map(([name]) => name),
    () => [],
  );
  const toPod = (p: V1Pod) => podFromApi(p, NO_REPLICA_SETS);
  if (!names.length) return listRaw(config, '/api/v1/pods', toPod);
  const parts: PodInfo[][] = [];
  await forEachLimited(names, POD_LISTS_IN_FLIGHT, async (name, i) => {
    parts[i] = await listRaw(config, `/api/v1/namespaces/${encodeURIComponent(name)}/pods`, toPod);
  });
  return parts.flat();
}

export interface ClusterRead {
  snapshot: Snapshot;
  /** Lists that could not be read but the analysis can do without, said plainly. */
  warnings: Finding[];
}

/** Reads the cluster once; nodes, pods and budgets are required (exit 3 without them). */
export async function readCluster(config: KubeConfig): Promise<ClusterRead> {
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
  const namespacesRead = listRaw(config, '/api/v1/namespaces', (n: V1Namespace) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}] as const);
  namespacesRead.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  // Pods, the longest read, start with the rest; their Deployments are filled in once the ReplicaSets are known.
  const podsRead = required('pods', () => readPods(config, namespacesRead));
  podsRead.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  // Workloads kept to what is counted: a ReplicaSet's template would otherwise stay in memory for nothing.
  const slim = <T extends V1Deployment | V1ReplicaSet | V1StatefulSet | V1ReplicationController>(o: T): T =>
    ({ metadata: { name: o.metadata?.name, namespace: o.metadata?.namespace, ownerReferences: o.metadata?.ownerReferences }, spec: { replicas: o.spec?.replicas } }) as T;
  const [nodes, budgets, deployments, replicaSets, statefulSets, replicationControllers, namespaces, serverVersion] = await Promise.all([
    required('nodes', () => listRaw(config, '/api/v1/nodes', nodeFromApi)),
    required('poddisruptionbudgets', () => listRaw(config, '/apis/policy/v1/poddisruptionbudgets', budgetFromApi)),
    optional('deployments', () => listRaw(config, '/apis/apps/v1/deployments', (d: V1Deployment) => slim(d)), 'budgets counted by percentage or maxUnavailable fall back to their status'),
    optional('replicasets', () => listRaw(config, '/apis/apps/v1/replicasets', (r: V1ReplicaSet) => slim(r)), 'pods cannot be traced to their Deployments'),
    optional('statefulsets', () => listRaw(config, '/apis/apps/v1/statefulsets', (s: V1StatefulSet) => slim(s)), 'their replica counts are unknown'),
    optional('replicationcontrollers', () => listRaw(config, '/api/v1/replicationcontrollers', (r: V1ReplicationController) => slim(r)), 'their replica counts are unknown'),
    optional('namespaces', () => namespacesRead, 'affinity terms with a namespaceSelector see only the namespaces they name'),
    config
      .makeApiClient(VersionApi)
      .getCode()
      .then(
        (v) => v.gitVersion,
        () => undefined,
      ),
  ]);
  const { workloads, workloadOfReplicaSet } = workloadsFromApi({ deployments, replicaSets, statefulSets, replicationControllers });
  // Mapped page by page as they came: the biggest list never sat in memory whole.
  const pods = await podsRead;
  for (const pod of pods) if (pod.controller?.kind === 'ReplicaSet') pod.workload = workloadOfReplicaSet.get(`${pod.namespace}/${pod.controller.name}`) ?? pod.controller;
  return {
    snapshot: { nodes, pods, budgets, workloads, ...(namespaces.length && { namespaceLabels: Object.fromEntries(namespaces) }), ...(serverVersion && { serverVersion }) },
    warnings,
  };
}

/** A server-side dry run of one eviction: the budgets are checked as for a real one, and nothing is evicted. */
export async function dryRunEviction(core: CoreV1Api, pod: string): Promise<DryRunResult> {
  const [namespace, name] = pod.split('/') as [string, string];
  try {
    await core.createNamespacedPodEviction({
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

// Waiting for a fresh cluster to be usable: every node Ready, the CNI and
// CoreDNS running. On fenced clusters CoreDNS gets a Corefile without
// upstream forwarding, so nothing even tries to leave the machine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type V1ConfigMap, type V1Node } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { InfraError } from '../../errors.ts';
import { abortableBy, apiMessage, callApi, loadKubeConfig } from '../../kube/client.ts';
import { isNodeReady } from '../../kube/nodes.ts';
import { restartDeployment, waitForDaemonSet, waitForDeployment } from '../../kube/rollout.ts';
import { nodeTable, podTable } from '../../kube/tables.ts';
import { type Progress, type WaitOutcome, waitUntil } from '../../kube/wait.ts';
import { must } from '../../tools/exec.ts';
import { PROJECT_ROOT } from '../../tools/paths.ts';

const SYSTEM = 'kube-system';
const FENCED_COREFILE = join(PROJECT_ROOT, 'clusters', 'manifests', 'coredns-corefile.yaml');
/** Listing the cluster for a failure message must not hang the failure itself. */
const LISTING_TIMEOUT_MS = 15_000;

/** kubectl on the cluster's kubeconfig, for what stays kubectl's (applying manifests). */
export function kubectl(kubeconfig: string, args: string[], options: { input?: string; signal?: AbortSignal } = {}): Promise<string> {
  return must('kubectl', ['--kubeconfig', kubeconfig, ...args], options);
}

interface ClusterApi {
  core: CoreV1Api;
  apps: AppsV1Api;
}

export async function waitForCluster(kubeconfig: string, options: { timeoutSeconds: number; signal: AbortSignal; fenced: boolean; onDnsPatched?: () => void }): Promise<void> {
  const config = loadKubeConfig(kubeconfig);
  const api: ClusterApi = { core: config.makeApiClient(CoreV1Api), apps: config.makeApiClient(AppsV1Api) };
  const { signal } = options;
  const wait = { timeoutMs: options.timeoutSeconds * 1000, signal };
  const step = async (what: string, outcome: Promise<WaitOutcome>) => {
    const waited = await outcome;
    if (!waited.done) throw new InfraError(`${what} within ${options.timeoutSeconds}s: ${waited.why}\n${await clusterState(api.core)}`);
  };
  await step(
    'nodes did not all become Ready',
    waitUntil(
      (until) => api.core.listNode({}, abortableBy(until)),
      (list) => nodesProgress(list.items),
      wait,
    ),
  );
  for (const name of await daemonSetNames(api.apps, signal)) {
    await step(`daemonset.apps/${name} did not roll out`, waitForDaemonSet(api.apps, SYSTEM, name, wait));
  }
  if (options.fenced) {
    const patched = await patchCoreDns(api, signal);
    if (patched) options.onDnsPatched?.();
  }
  await step('CoreDNS did not roll out', waitForDeployment(api.apps, SYSTEM, 'coredns', wait));
}

/** Done once there are nodes and every one is Ready; otherwise names those that are not. */
export function nodesProgress(nodes: V1Node[]): Progress {
  if (!nodes.length) return { state: 'waiting', status: 'no nodes registered yet' };
  const notReady = nodes.filter((node) => !isNodeReady(node)).map((node) => node.metadata?.name ?? '');
  if (notReady.length) return { state: 'waiting', status: `not Ready: ${notReady.join(', ')}` };
  return { state: 'done', status: `${nodes.length} nodes Ready` };
}

/** kube-system's DaemonSets: kube-proxy and the CNI's agents. */
async function daemonSetNames(apps: AppsV1Api, signal: AbortSignal): Promise<string[]> {
  const list = await callApi(`list the DaemonSets in ${SYSTEM}`, signal, (options) => apps.listNamespacedDaemonSet({ namespace: SYSTEM }, options));
  return list.items.map((ds) => ds.metadata?.name ?? '').filter(Boolean);
}

/** Replaces CoreDNS's Corefile with the fenced one and restarts CoreDNS on it; returns false when already in place. */
async function patchCoreDns(api: ClusterApi, signal: AbortSignal): Promise<boolean> {
  const current = await callApi(`read ConfigMap ${SYSTEM}/coredns`, signal, (options) => api.core.readNamespacedConfigMap({ namespace: SYSTEM, name: 'coredns' }, options));
  if (!usesForwarding(current)) return false;
  const fenced = parse(await readFile(FENCED_COREFILE, 'utf8')) as V1ConfigMap;
  await callApi(`replace ConfigMap ${SYSTEM}/coredns`, signal, (options) => api.core.replaceNamespacedConfigMap({ namespace: SYSTEM, name: 'coredns', body: fenced }, options));
  await restartDeployment(api.apps, SYSTEM, 'coredns', signal);
  return true;
}

/** The Corefile forwards names it does not serve to an upstream: kubeadm's default, not the fenced one. */
export function usesForwarding(configMap: V1ConfigMap): boolean {
  return /\bforward\b/.test(configMap.data?.Corefile ?? '');
}

/** The nodes and every pod, as `kubectl get nodes,pods -A -o wide` showed them: what a failure message needs to say why. */
async function clusterState(core: CoreV1Api): Promise<string> {
  const options = abortableBy(AbortSignal.timeout(LISTING_TIMEOUT_MS));
  try {
    const [nodes, pods] = await Promise.all([core.listNode({}, options), core.listPodForAllNamespaces({}, options)]);
    return `${nodeTable(nodes.items)}\n\n${podTable(pods.items, { namespaces: true })}`;
  } catch (error) {
    return `(the nodes and pods could not be listed: ${apiMessage(error)})`;
  }
}

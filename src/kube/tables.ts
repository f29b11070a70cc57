// Pods and nodes as the few columns of `kubectl get -o wide` that say why
// something is not ready: what a failure message shows of the cluster.
import type { V1ContainerState, V1Node, V1Pod } from '@kubernetes/client-node';
import { isNodeReady } from './nodes.ts';
import { isPodReady } from './pods.ts';

const NONE = '<none>';

/**
 * The STATUS kubectl shows for a pod: a container's waiting or terminated
 * reason (CrashLoopBackOff, ErrImagePull, OOMKilled...) over the phase,
 * Init:... while init containers run, Terminating once it is being deleted.
 */
export function podStatus(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return initStatus(pod) ?? containerStatus(pod) ?? pod.status?.reason ?? pod.status?.phase ?? 'Unknown';
}

/** The first init container not yet done, as kubectl words it; undefined once all are done. */
function initStatus(pod: V1Pod): string | undefined {
  const inits = pod.status?.initContainerStatuses ?? [];
  for (const [i, init] of inits.entries()) {
    const { terminated, waiting } = init.state ?? {};
    if (terminated?.exitCode === 0) continue;
    if (terminated || (waiting?.reason && waiting.reason !== 'PodInitializing')) return `Init:${notRunningReason(init.state)}`;
    return `Init:${i}/${pod.spec?.initContainers?.length ?? inits.length}`;
  }
  return undefined;
}

/** Why a container is not running: its waiting or terminated reason, kubectl's words for one that has none. */
function notRunningReason(state: V1ContainerState | undefined): string | undefined {
  const { terminated, waiting } = state ?? {};
  if (waiting?.reason) return waiting.reason;
  if (terminated) return terminated.reason ?? (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`);
  return undefined;
}

/** The first container's reason for not running; a finished sidecar beside a running container reads as kubectl has it. */
function containerStatus(pod: V1Pod): string | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  const reason = statuses.map((s) => notRunningReason(s.state)).find(Boolean);
  if (reason === 'Completed' && statuses.some((s) => s.ready && s.state?.running)) return isPodReady(pod) ? 'Running' : 'NotReady';
  return reason;
}

function podRow(pod: V1Pod): string[] {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = statuses.filter((s) => s.ready).length;
  const total = pod.spec?.containers?.length ?? statuses.length;
  const restarts = statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
  return [pod.metadata?.name ?? '', `${ready}/${total}`, podStatus(pod), String(restarts), pod.spec?.nodeName || NONE];
}

/** NAME READY STATUS RESTARTS NODE, a namespace column first when the pods come from several. */
export function podTable(pods: V1Pod[], options: { namespaces?: boolean } = {}): string {
  if (!pods.length) return 'no pods';
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'NODE'];
  const rows = pods.map(podRow);
  if (!options.namespaces) return table([header, ...rows]);
  return table([['NAMESPACE', ...header], ...rows.map((row, i) => [pods[i]!.metadata?.namespace ?? '', ...row])]);
}

/** The roles kubectl lists: the node-role.kubernetes.io/<role> labels. */
function nodeRoles(node: V1Node): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((key) => key.startsWith('node-role.kubernetes.io/'))
    .map((key) => key.slice('node-role.kubernetes.io/'.length));
  return roles.length ? roles.sort().join(',') : NONE;
}

function nodeRow(node: V1Node): string[] {
  const status = `${isNodeReady(node) ? 'Ready' : 'NotReady'}${node.spec?.unschedulable ? ',SchedulingDisabled' : ''}`;
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? NONE;
  return [node.metadata?.name ?? '', status, nodeRoles(node), node.status?.nodeInfo?.kubeletVersion ?? '', address];
}

/** NAME STATUS ROLES VERSION INTERNAL-IP. */
export function nodeTable(nodes: V1Node[]): string {
  if (!nodes.length) return 'no nodes';
  return table([['NAME', 'STATUS', 'ROLES', 'VERSION', 'INTERNAL-IP'], ...nodes.map(nodeRow)]);
}

/** Columns padded to their widest cell, three spaces apart, as kubectl prints them. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 3))).join('')).join('\n');
}

// KubeApi over @kubernetes/client-node: the real Kubernetes API.
import { CoreV1Api, Health, KubeConfig, Observable, PatchStrategy, setHeaderOptions, type ConfigurationOptions, type ObservableMiddleware, type V1Node, type V1Pod } from '@kubernetes/client-node';
import pRetry, { AbortError } from 'p-retry';
import { InfraError } from '../errors.ts';
import type { EvictionResult, KubeApi, NamespaceSummary, NodeSummary, PodSummary, Taint } from '../core/kube-api.ts';
import { isNodeReady } from './nodes.ts';
import { isPodReady } from './pods.ts';

const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function loadKubeConfig(kubeconfig: string, context?: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  if (context) config.setCurrentContext(context);
  return config;
}

/**
 * Per-request options that hand the signal to the HTTP request itself, so
 * aborting cancels the fetch in flight (client-node otherwise sends none).
 * Appended: the client's own middleware (its User-Agent) still runs.
 */
export function abortableBy(signal: AbortSignal): ConfigurationOptions<ObservableMiddleware> {
  return {
    middleware: [
      {
        pre: (request) => {
          request.setSignal(signal);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** The HTTP status of a failed API call, if it got that far. */
export function statusOf(error: unknown): number | undefined {
  return (error as { code?: number } | undefined)?.code;
}

/** A read of something that may not be there: undefined for a 404, other failures stay failures. */
export async function ifFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * One API call that the signal cancels, its failure worded for the user
 * ("cannot <what>: <the API's own message>") as an InfraError. An abort
 * rethrows the signal's reason, so the caller sees an interruption, not a failure.
 */
export async function callApi<T>(what: string, signal: AbortSignal, call: (options: ConfigurationOptions<ObservableMiddleware>) => Promise<T>): Promise<T> {
  try {
    return await call(abortableBy(signal));
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new InfraError(`cannot ${what}: ${apiMessage(error)}`, { cause: error });
  }
}

export function summarisePod(pod: V1Pod): PodSummary {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    ...(pod.metadata?.uid && { uid: pod.metadata.uid }),
    ...(pod.spec?.nodeName && { nodeName: pod.spec.nodeName }),
    ...(pod.status?.podIP && { ip: pod.status.podIP }),
    labels: pod.metadata?.labels ?? {},
    ...(pod.status?.phase && { phase: pod.status.phase }),
    ready: isPodReady(pod),
    ...(owner && { ownerKind: owner.kind }),
    deleting: pod.metadata?.deletionTimestamp !== undefined,
    mirror: pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined,
    ...(pod.status?.containerStatuses?.some((c) => c.state?.running && c.containerID) && {
      containerIds: pod.status.containerStatuses.flatMap((c) => (c.state?.running && c.containerID ? [c.containerID.replace(/^[a-z]+:\/\//, '')] : [])),
    }),
  };
}

export class ClientKubeApi implements KubeApi {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;

  constructor(config: KubeConfig) {
    this.config = config;
    this.core = config.makeApiClient(CoreV1Api);
  }

  async listNodes(): Promise<NodeSummary[]> {
    const list = await this.core.listNode();
    return list.items.map((node) => ({
      name: node.metadata?.name ?? '',
      labels: node.metadata?.labels ?? {},
      ready: isNodeReady(node),
      unschedulable: node.spec?.unschedulable ?? false,
      taints: (node.spec?.taints ?? []) as Taint[],
      ...(node.spec?.podCIDR && { podCIDR: node.spec.podCIDR }),
      ...(node.status?.addresses?.find((a) => a.type === 'InternalIP') && { address: node.status!.addresses!.find((a) => a.type === 'InternalIP')!.address }),
      ...(node.status?.nodeInfo?.kubeletVersion && { kubeletVersion: node.status.nodeInfo.kubeletVersion }),
      ...readyChange(node),
    }));
  }

  async listPods(options: { namespace?: string; labelSelector?: string; nodeName?: string } = {}): Promise<PodSummary[]> {
    const query = {
      ...(options.labelSelector && { labelSelector: options.labelSelector }),
      ...(options.nodeName && { fieldSelector: `spec.nodeName=${options.nodeName}` }),
    };
    const list = options.namespace ? await this.core.listNamespacedPod({ namespace: options.namespace, ...query }) : await this.core.listPodForAllNamespaces(query);
    return list.items.map(summarisePod);
  }

  async setUnschedulable(node: string, unschedulable: boolean): Promise<void> {
    try {
      await this.core.patchNode({ name: node, body: { spec: { unschedulable: unschedulable || null } } }, MERGE_PATCH);
    } catch (error) {
      if (statusOf(error) !== 404 || unschedulable) throw error; // reverting on a gone node: nothing to do
    }
  }

  addTaint(node: string, taint: Taint): Promise<void> {
    return this.#editTaints(node, (taints) => [...taints.filter((t) => !(t.key === taint.key && t.effect === taint.effect)), taint]);
  }

  removeTaint(node: string, key: string, effect: Taint['effect']): Promise<void> {
    return this.#editTaints(node, (taints) => taints.filter((t) => !(t.key === key && t.effect === effect)));
  }

  /** Read-modify-write with the resourceVersion, retried on conflict: the node controller edits taints too. */
  async #editTaints(node: string, edit: (taints: Taint[]) => Taint[]): Promise<void> {
    await pRetry(
      async () => {
        let current: V1Node;
        try {
          current = await this.core.readNode({ name: node });
        } catch (error) {
          if (statusOf(error) === 404) throw new AbortError(`node ${node} not found`);
          throw error;
        }
        const before = (current.spec?.taints ?? []) as Taint[];
        const after = edit(before);
        if (JSON.stringify(before) === JSON.stringify(after)) return;
        try {
          await this.core.patchNode({ name: node, body: { metadata: { resourceVersion: current.metadata?.resourceVersion }, spec: { taints: after } } }, MERGE_PATCH);
        } catch (error) {
          if (statusOf(error) !== 409) throw new AbortError(error as Error);
          throw error;
        }
      },
      { retries: 5, minTimeout: 100, maxTimeout: 1000 },
    );
  }

  /** Rejects with the signal's reason once it aborts: an eviction still in flight at the deadline is abandoned, not awaited. */
  async evictPod(namespace: string, name: string, signal?: AbortSignal): Promise<EvictionResult> {
    try {
      await this.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } } }, signal && abortableBy(signal));
      return { outcome: 'evicted' };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const code = statusOf(error);
      if (code === 404) return { outcome: 'gone' };
      if (code === 429) return { outcome: 'blocked', message: apiMessage(error) };
      throw error;
    }
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({ name, namespace, ...(gracePeriodSeconds !== undefined && { gracePeriodSeconds }) });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async listNamespaces(): Promise<NamespaceSummary[]> {
    const list = await this.core.listNamespace();
    return list.items.map((ns) => ({ name: ns.metadata?.name ?? '', labels: ns.metadata?.labels ?? {}, terminating: ns.status?.phase === 'Terminating' }));
  }

  async deleteNamespace(name: string): Promise<void> {
    try {
      await this.core.deleteNamespace({ name });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async answers(signal: AbortSignal): Promise<boolean> {
    try {
      return await new Health(this.config).readyz({ signal });
    } catch {
      return false;
    }
  }

  async recordNodeEvent(node: string, reason: string, message: string): Promise<void> {
    const now = new Date();
    await this.core.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { generateName: `${node}.shakedown-`, namespace: 'default' },
        involvedObject: { kind: 'Node', name: node, uid: node, apiVersion: 'v1' },
        reason,
        message,
        type: 'Warning',
        source: { component: 'shakedown' },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }
}

/** The Status message of an API error (e.g. which PDB refused an eviction). */
export function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return statusText(JSON.parse(body) as Status);
    } catch {
      return body;
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return statusText(body as Status);
  return (error as Error).message;
}

interface Status {
  message?: string;
  details?: { causes?: Array<{ message?: string }> };
}

/** A Status message plus its causes: for a refused eviction, the cause names the budget. */
function statusText(status: Status): string {
  const causes = (status.details?.causes ?? []).map((c) => c.message).filter(Boolean);
  return [status.message ?? '', ...causes].filter(Boolean).join(' ');
}

/** When the node's Ready condition last changed, if the API says. */
function readyChange(node: V1Node): { readyChangedAt?: number } {
  const at = node.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  return at ? { readyChangedAt: new Date(at).getTime() } : {};
}

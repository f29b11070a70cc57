// Watches through client-node informers: a local cache kept current by a
// watch, with a callback on every change. Assertions observe through these
// rather than polling. An informer restarts itself after a watch error.
// client-node bounds the watch request itself (30 s without a byte); the
// list is bounded here, so that a relist sent while the API server is
// unreachable (a control-plane outage drops every packet) fails and is
// retried instead of hanging, and the watch silently with it.
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  type KubeConfig,
  PolicyV1Api,
  makeInformer,
  type KubernetesObject,
  type V1Deployment,
  type V1Node,
  type V1Pod,
  type V1PodDisruptionBudget,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { abortableBy } from './client.ts';

const LIST_TIMEOUT_MS = 30_000;
const bounded = () => abortableBy(AbortSignal.timeout(LIST_TIMEOUT_MS));

export interface Watched<T> {
  list(): T[];
  stop(): Promise<void>;
}

async function watch<T extends KubernetesObject>(config: KubeConfig, path: string, list: () => Promise<{ items: T[] }>, onChange: (object: T, verb: 'add' | 'update' | 'delete') => void): Promise<Watched<T>> {
  const informer = makeInformer<T>(config, path, list as never);
  let stopped = false;
  informer.on('add', (o) => onChange(o, 'add'));
  informer.on('update', (o) => onChange(o, 'update'));
  informer.on('delete', (o) => onChange(o, 'delete'));
  informer.on('error', () => {
    // Watches end (timeouts, a node restart behind the API); resume shortly.
    if (!stopped) setTimeout(() => void informer.start().catch(() => {}), 1000).unref();
  });
  await informer.start();
  return {
    list: () => [...informer.list()],
    stop: async () => {
      stopped = true;
      await informer.stop();
    },
  };
}

export function watchPods(config: KubeConfig, namespace: string, onChange: (pod: V1Pod, verb: 'add' | 'update' | 'delete') => void) {
  const core = config.makeApiClient(CoreV1Api);
  return watch<V1Pod>(config, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }, bounded()), onChange);
}

export function watchDeployments(config: KubeConfig, namespace: string, onChange: (d: V1Deployment, verb: 'add' | 'update' | 'delete') => void) {
  const apps = config.makeApiClient(AppsV1Api);
  return watch<V1Deployment>(config, `/apis/apps/v1/namespaces/${namespace}/deployments`, () => apps.listNamespacedDeployment({ namespace }, bounded()), onChange);
}

export function watchPdbs(config: KubeConfig, namespace: string, onChange: (p: V1PodDisruptionBudget, verb: 'add' | 'update' | 'delete') => void) {
  const policy = config.makeApiClient(PolicyV1Api);
  return watch<V1PodDisruptionBudget>(config, `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`, () => policy.listNamespacedPodDisruptionBudget({ namespace }, bounded()), onChange);
}

export function watchHpas(config: KubeConfig, namespace: string, onChange: (h: V2HorizontalPodAutoscaler, verb: 'add' | 'update' | 'delete') => void) {
  const autoscaling = config.makeApiClient(AutoscalingV2Api);
  return watch<V2HorizontalPodAutoscaler>(config, `/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`, () => autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }, bounded()), onChange);
}

export function watchNodes(config: KubeConfig, onChange: (node: V1Node, verb: 'add' | 'update' | 'delete') => void) {
  const core = config.makeApiClient(CoreV1Api);
  return watch<V1Node>(config, '/api/v1/nodes', () => core.listNode(undefined, bounded()), onChange);
}

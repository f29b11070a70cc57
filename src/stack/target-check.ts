// Before any load: does the Service the load aims at exist, on that port,
// with a Ready pod behind it? Without one every request fails, and the run
// would only say so as an error rate minutes later.
import { CoreV1Api, DiscoveryV1Api, type KubeConfig, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { sleep } from '../core/abort.ts';
import { ifFound } from '../kube/client.ts';
import { nearestName } from '../scenario/suggest.ts';

export interface LoadTarget {
  service: string;
  port: number;
}

export interface TargetProblem {
  /** One sentence naming the scenario field. */
  text: string;
  /** The Service or its port is not there at all: there is nothing to aim the load at. */
  missing: boolean;
}

/** What is wrong with the target; undefined when a Ready pod serves it. */
export function targetProblem(target: LoadTarget, namespace: string, found: { service?: V1Service; services: string[]; readyEndpoints: number; pods: V1Pod[] }): TargetProblem | undefined {
  const missing = (text: string) => ({ text, missing: true });
  const unready = (text: string) => ({ text, missing: false });
  const field = 'load.target';
  if (!found.service) {
    const near = nearestName(target.service, found.services);
    return missing(`${field}.service: no Service ${target.service} in ${namespace}${near ? `; did you mean ${near}?` : found.services.length ? ` (services: ${found.services.join(', ')})` : ''}`);
  }
  const ports = found.service.spec?.ports ?? [];
  if (!ports.some((p) => p.port === target.port)) return missing(`${field}.port: Service ${namespace}/${target.service} has no port ${target.port} (ports: ${ports.map((p) => p.port).join(', ')})`);
  if (found.readyEndpoints > 0) return undefined;
  const selector = found.service.spec?.selector ?? {};
  const text = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const matching = found.pods.filter((p) => Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v));
  if (Object.keys(selector).length && matching.length === 0) {
    const labels = new Set(found.pods.flatMap((p) => Object.entries(p.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`)));
    const near = nearestName(text, labels);
    return unready(`Service ${namespace}/${target.service} (${field}.service) has no Ready endpoint: its selector ${text} matches no pod${near ? `; pods carry ${near}: set the Service's spec.selector to it` : ''}`);
  }
  return unready(`Service ${namespace}/${target.service} (${field}.service) has no Ready endpoint: ${matching.length ? `its ${matching.length} pod${matching.length === 1 ? ' is' : 's are'} not Ready` : 'it selects no pods (no spec.selector)'}`);
}

/** The EndpointSlice controller trails the pods' Ready by a moment: an unready target is read again for this long. */
const ENDPOINTS_GRACE_MS = 30_000;

export async function checkLoadTarget(config: KubeConfig, namespace: string, target: LoadTarget, signal?: AbortSignal): Promise<TargetProblem | undefined> {
  const until = Date.now() + ENDPOINTS_GRACE_MS;
  for (;;) {
    const problem = await readTargetProblem(config, namespace, target);
    if (!problem || problem.missing || Date.now() >= until) return problem;
    await sleep(1000, signal);
  }
}

async function readTargetProblem(config: KubeConfig, namespace: string, target: LoadTarget): Promise<TargetProblem | undefined> {
  const core = config.makeApiClient(CoreV1Api);
  const discovery = config.makeApiClient(DiscoveryV1Api);
  const [service, services, slices, pods] = await Promise.all([
    ifFound(core.readNamespacedService({ name: target.service, namespace })),
    core.listNamespacedService({ namespace }).then((l) => l.items.map((s) => s.metadata?.name ?? '')),
    discovery.listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${target.service}` }),
    core.listNamespacedPod({ namespace }).then((l) => l.items),
  ]);
  const readyEndpoints = slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).length;
  return targetProblem(target, namespace, { ...(service && { service }), services, readyEndpoints, pods });
}

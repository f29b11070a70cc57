// The path the load takes through the stack: in from outside the cluster
// to the pods behind the target Service, then on to every Service those pods
// name in their environment (BACKEND_URL=http://backend.ns.svc.cluster.local/),
// transitively, and to the cluster DNS that resolves those names. Read off
// the live objects, so it is the stack's own design, not a guess at it.
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { isPodReady } from '../../kube/pods.ts';
import type { Protocol } from '../../netpol/model.ts';

/** One connection the stack needs, from a group of pods (or the load) to a group of pods. */
export interface Hop {
  /** 'the load' or the Service whose pods make the call. */
  from: HopEnd;
  to: HopEnd;
  /** The pod port the connection lands on, per destination pod (a named targetPort can differ between pods). */
  port: (pod: V1Pod) => number | undefined;
  portText: string;
  protocol: Protocol;
  /** Why the stack needs it, in the user's terms. */
  because: string;
}

export interface HopEnd {
  /** The Service (namespace/name), or undefined for the load. */
  service?: string;
  /** Who: "the load (from outside the cluster)", "pods of Service shakedown-stack/frontend". */
  text: string;
  pods: V1Pod[];
  /** The labels a policy would select these pods by. */
  labels: Record<string, string>;
}

export interface PathInput {
  namespace: string;
  target: { service: string; port: number };
  services: V1Service[];
  pods: V1Pod[];
  /** The cluster DNS pods (kube-system, k8s-app=kube-dns), when they could be read. */
  dnsPods?: V1Pod[];
}

const DNS_LABELS = { 'k8s-app': 'kube-dns' };

/** Every hop the load path takes; none when the target Service is not there (the target check says so). */
export function loadPathHops(input: PathInput): Hop[] {
  const byName = new Map(input.services.map((s) => [s.metadata?.name ?? '', s]));
  const target = byName.get(input.target.service);
  const targetPort = target?.spec?.ports?.find((p) => p.port === input.target.port);
  if (!target || !targetPort) return [];
  const hops: Hop[] = [];
  const entry = endOf(target, input);
  hops.push({
    from: { text: 'the load (from outside the cluster)', pods: [], labels: {} },
    to: entry,
    ...landing(targetPort),
    because: `the load enters through Service ${entry.service} port ${input.target.port}`,
  });
  // Breadth first from the target: each Service's pods, the Services they name.
  const seen = new Set([input.target.service]);
  const queue = [target];
  const callers = new Map<string, HopEnd>();
  while (queue.length) {
    const caller = endOf(queue.shift()!, input);
    for (const call of callsOf(caller.pods, input.namespace, byName)) {
      if (seen.has(call.service)) continue;
      seen.add(call.service);
      const callee = byName.get(call.service)!;
      const port = callee.spec?.ports?.find((p) => p.port === call.port) ?? (call.port === undefined && callee.spec?.ports?.length === 1 ? callee.spec.ports[0] : undefined);
      if (!port) continue;
      hops.push({ from: caller, to: endOf(callee, input), ...landing(port), because: `${call.env} of ${call.pod} names Service ${input.namespace}/${call.service}` });
      queue.push(callee);
      if (call.byName) callers.set(caller.text, caller);
    }
  }
  const dnsPods = (input.dnsPods ?? []).filter((p) => !p.metadata?.deletionTimestamp);
  if (dnsPods.length) {
    const dns: HopEnd = { service: 'kube-system/kube-dns', text: 'the cluster DNS (kube-system pods k8s-app=kube-dns)', pods: dnsPods, labels: DNS_LABELS };
    for (const caller of callers.values()) {
      hops.push({ from: caller, to: dns, port: () => 53, portText: '53/UDP', protocol: 'UDP', because: `${caller.text} look up Service names in the cluster DNS` });
    }
  }
  return hops;
}

function endOf(service: V1Service, input: PathInput): HopEnd {
  const selector = service.spec?.selector ?? {};
  const name = `${input.namespace}/${service.metadata?.name ?? ''}`;
  // A Service without a selector has hand-made endpoints: no pods of ours to judge.
  const pods = Object.keys(selector).length
    ? input.pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v))
    : [];
  return { service: name, text: `pods of Service ${name}`, pods: pods.some(isPodReady) ? pods.filter(isPodReady) : pods, labels: selector };
}

/** Where a Service port lands on a pod: its targetPort, a number or a container port's name. */
function landing(port: V1ServicePort): Pick<Hop, 'port' | 'portText' | 'protocol'> {
  const protocol = (port.protocol ?? 'TCP') as Protocol;
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number' || /^\d+$/.test(String(target))) {
    const n = Number(target);
    return { port: () => n, portText: `${n}/${protocol}`, protocol };
  }
  const name = String(target);
  return {
    port: (pod) => pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === name && (p.protocol ?? 'TCP') === protocol)?.containerPort,
    portText: `${name}/${protocol}`,
    protocol,
  };
}

interface Call {
  service: string;
  port?: number;
  /** Named by DNS name (needs the cluster DNS), not by IP. */
  byName: boolean;
  env: string;
  pod: string;
}

const URL_OR_HOST = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?(?:[/?#].*)?$/i;
const SCHEME_PORT: Record<string, number> = { http: 80, https: 443, grpc: 80, ws: 80, wss: 443 };

/** The Services of `namespace` that these pods' env values name: a URL, or host:port, or a DNS name under the namespace. */
export function callsOf(pods: V1Pod[], namespace: string, services: Map<string, V1Service>): Call[] {
  const calls: Call[] = [];
  for (const pod of pods) {
    for (const container of pod.spec?.containers ?? []) {
      for (const env of container.env ?? []) {
        const call = serviceNamed(env.value ?? '', namespace, services);
        if (call) calls.push({ ...call, env: `env ${env.name}`, pod: `pod ${pod.metadata?.name ?? ''}` });
      }
    }
  }
  return calls;
}

function serviceNamed(value: string, namespace: string, services: Map<string, V1Service>): Omit<Call, 'env' | 'pod'> | undefined {
  const match = URL_OR_HOST.exec(value.trim());
  if (!match) return undefined;
  const [, scheme, host, port] = match;
  const labels = host!.toLowerCase().replace(/\.$/, '').split('.');
  const [name, ns, ...rest] = labels;
  const nameOnly = labels.length === 1;
  // A bare word is a Service only in a URL or with a port: "backend" alone may mean anything.
  if (nameOnly && !scheme && !port) return undefined;
  if (!nameOnly && (ns !== namespace || !['', 'svc', 'svc.cluster.local'].includes(rest.join('.')))) return undefined;
  if (!services.has(name!)) return undefined;
  const explicit = port ? Number(port) : scheme ? SCHEME_PORT[scheme.toLowerCase()] : undefined;
  return { service: name!, ...(explicit !== undefined && { port: explicit }), byName: true };
}

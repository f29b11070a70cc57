// Why an HPA did not scale as the assertion asked, where its own status or
// spec says so: it is not there, a container it scales on requests none of
// the resource, the metrics API answers nothing, its maxReplicas is below the
// mark. Anything else (the load too light, a slow sync) stays unexplained:
// the message already says how far it got. Pure.
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Explanation } from '../../core/result.ts';

export interface HpaEvidence {
  /** The HPA the assertion judges, by name. */
  name: string;
  namespace: string;
  /** Its latest state; undefined when there is none of that name. */
  hpa: V2HorizontalPodAutoscaler | undefined;
  /** The names of the HPAs the namespace does hold. */
  others: string[];
  /** Replicas the assertion needs; only a scale-out verdict passes it. */
  atLeast?: number;
}

/** A request to suggest for each resource an HPA may scale on: the sample stack's own. */
const EXAMPLE_REQUEST: Record<string, string> = { cpu: '50m', memory: '32Mi' };

export function explainHpa(e: HpaEvidence): Explanation | undefined {
  if (!e.hpa) return missingHpa(e);
  return missingRequest(e.hpa) ?? noMetrics(e.hpa) ?? maxBelowMark(e.hpa, e.atLeast);
}

function missingHpa(e: HpaEvidence): Explanation {
  if (!e.others.length) return { cause: `namespace ${e.namespace} holds no HorizontalPodAutoscaler at all, so none named ${e.name} can scale anything` };
  const names = e.others.join(', ');
  return {
    cause: `namespace ${e.namespace} holds no HorizontalPodAutoscaler named ${e.name}; it holds ${names}`,
    fix: e.others.length === 1 ? `set hpa: ${e.others[0]} on this assertion` : `set hpa on this assertion to one of ${names}`,
  };
}

/** ScalingActive False: the HPA's own words on why it computes nothing. */
function inactiveMessage(hpa: V2HorizontalPodAutoscaler): string | undefined {
  const active = hpa.status?.conditions?.find((c) => c.type === 'ScalingActive');
  return active?.status === 'False' ? (active.message ?? '') : undefined;
}

function targetOf(hpa: V2HorizontalPodAutoscaler): string {
  const ref = hpa.spec?.scaleTargetRef;
  return ref ? `${ref.kind} ${ref.name}` : 'its target';
}

/** "missing request for cpu in container agent of Pod backend-7c9d": utilization is a share of the request, so none means no figure. */
function missingRequest(hpa: V2HorizontalPodAutoscaler): Explanation | undefined {
  const found = /missing request for (\S+) in container "?([^"\s]+)"? of Pod "?([^"\s]+)"?/.exec(inactiveMessage(hpa) ?? '');
  if (!found) return undefined;
  const [, resource = '', container, pod] = found;
  const label = resource === 'cpu' ? 'CPU' : resource;
  return {
    cause: `HPA ${hpa.metadata?.name} scales on ${label} utilization, a share of each container's ${label} request, and container ${container} of ${targetOf(hpa)} requests no ${label} (seen on Pod ${pod})`,
    fix: `set resources.requests.${resource} on container ${container} of ${targetOf(hpa)}${EXAMPLE_REQUEST[resource] ? ` (e.g. ${EXAMPLE_REQUEST[resource]})` : ''}`,
  };
}

/** The HPA controller's words when metrics.k8s.io is not served, or serves nothing. */
const NO_METRICS_API = /unable to fetch metrics from resource metrics API|no metrics returned from resource metrics API|\(get pods\.metrics\.k8s\.io\)/;

function noMetrics(hpa: V2HorizontalPodAutoscaler): Explanation | undefined {
  const message = inactiveMessage(hpa);
  if (!message || !NO_METRICS_API.test(message)) return undefined;
  return {
    cause: `HPA ${hpa.metadata?.name} gets no metrics: the resource metrics API (metrics.k8s.io, served by metrics-server) answers nothing (${message.split(': ').at(-1)})`,
    fix: 'install metrics-server, or repair it until APIService v1beta1.metrics.k8s.io reports Available',
  };
}

function maxBelowMark(hpa: V2HorizontalPodAutoscaler, atLeast: number | undefined): Explanation | undefined {
  const max = hpa.spec?.maxReplicas;
  if (atLeast === undefined || max === undefined || max >= atLeast) return undefined;
  const limited = hpa.status?.conditions?.some((c) => c.type === 'ScalingLimited' && c.status === 'True' && c.reason === 'TooManyReplicas');
  return {
    cause: `HPA ${hpa.metadata?.name} may scale ${targetOf(hpa)} to spec.maxReplicas ${max} at most, fewer than the ${atLeast} this assertion needs${limited ? ', and the load asked for more (ScalingLimited: TooManyReplicas)' : ''}`,
    fix: `raise spec.maxReplicas of HPA ${hpa.metadata?.name} to at least ${atLeast}`,
  };
}

// Pod bookkeeping shared by assertions: which pods count as healthy, and
// which belong to which workload.
import type { V1Deployment, V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import { selects } from '../../core/label-selector.ts';
import { isPodReady } from '../../kube/pods.ts';

/** Ready and not on its way out: what the disruption controller counts. */
export function isHealthy(pod: V1Pod): boolean {
  return pod.metadata?.deletionTimestamp === undefined && isPodReady(pod);
}

/** A workload's or budget's selector over a pod's labels; no selector selects nothing. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: V1LabelSelector | undefined): boolean {
  return selector ? selects(selector, labels ?? {}) : false;
}

/** A label selector as kubectl writes one: app=web,tier in (a,b),canary,!legacy. */
export function selectorText(selector: V1LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map((e) => {
    if (e.operator === 'Exists') return e.key;
    if (e.operator === 'DoesNotExist') return `!${e.key}`;
    return `${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`;
  });
  return [...labels, ...expressions].join(',');
}

export function podsOf(deployment: V1Deployment, pods: V1Pod[]): V1Pod[] {
  return pods.filter((p) => matchesSelector(p.metadata?.labels, deployment.spec?.selector));
}

/** Why a pod is not running, in a person's words (from its conditions and container states). */
export function whyNotReady(pod: V1Pod): string {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return `unschedulable: ${scheduled.message ?? scheduled.reason ?? 'no node fits'}`;
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
  if (waiting) return `${waiting.reason ?? 'waiting'}${waiting.message ? `: ${waiting.message}` : ''}`;
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  return pod.status?.phase === 'Running' ? 'running but not ready' : (pod.status?.phase ?? 'not ready');
}

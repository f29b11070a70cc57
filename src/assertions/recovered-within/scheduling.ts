// Why the scheduler placed a pod nowhere, read from its own message:
// "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: },
// 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable. preemption: ...".
// The scheduler names each node by the first filter it failed, in a fixed
// order (cordon, taints, node affinity, resources), so a node counted
// against the selector had passed the cordon and the taints: the selector is
// what keeps the pod off every node still usable. Pure.
import type { V1PodSpec } from '@kubernetes/client-node';
import { confinementOf } from '../shared/confinement.ts';
import type { Explanation } from '../../core/result.ts';
import { selectorText } from '../shared/pods.ts';

export type Refusal =
  | { kind: 'cordoned'; nodes: number }
  /** `taint` absent: the scheduler did not name it (v1.34). */
  | { kind: 'taint'; nodes: number; taint?: string }
  | { kind: 'selector'; nodes: number }
  | { kind: 'resource'; nodes: number; resource: string }
  | { kind: 'other'; nodes: number; text: string };

export interface SchedulingFailure {
  total: number;
  refusals: Refusal[];
}

/** Taints the node lifecycle puts on (not-ready, unreachable, pressure) or that reserve the control plane: no workload should tolerate them. */
const SYSTEM_TAINT = /^(node\.kubernetes\.io\/|node-role\.kubernetes\.io\/(control-plane|master)\b)/;

export function parseSchedulingFailure(message: string): SchedulingFailure | undefined {
  const found = /(\d+)\/(\d+) nodes are available: (.*)$/s.exec(message);
  if (!found) return undefined;
  // The reasons end at the first sentence's end: "… selector. no new claims to deallocate, preemption: …" (v1.34).
  const list = found[3]!
    .split(/\.(?:\s|$)/)[0]!
    .split(' preemption:')[0]!
    .trim();
  // Each reason starts with its count; older schedulers put a comma inside one ("had taint {k: v}, that the pod didn't tolerate").
  return { total: Number(found[2]), refusals: list.split(/, (?=\d+ )/).map(refusalOf) };
}

function refusalOf(fragment: string): Refusal {
  const [, count, text = fragment] = /^(\d+) (.*)$/s.exec(fragment) ?? [];
  const nodes = Number(count ?? 0);
  if (text.includes('were unschedulable')) return { kind: 'cordoned', nodes };
  if (text.includes("didn't match Pod's node affinity/selector")) return { kind: 'selector', nodes };
  // v1.34 names no taint ("had untolerated taint(s)"); older ones print it in braces.
  const taint = /had (?:untolerated )?taint(?:\(s\))?(?: \{([^}]*)\})?/.exec(text);
  if (taint) return { kind: 'taint', nodes, ...(taint[1] !== undefined && { taint: taintText(taint[1]) }) };
  const resource = /^Insufficient (\S+)$/.exec(text);
  if (resource) return { kind: 'resource', nodes, resource: resource[1]! };
  return { kind: 'other', nodes, text };
}

/** "key: value" as the scheduler prints it, as a person writes it: key=value, or key alone. */
function taintText(inner: string): string {
  const [key = '', value = ''] = inner.split(':').map((s) => s.trim());
  return value ? `${key}=${value}` : key;
}

/** The scheduler's refusal, explained where its reasons say which field decides it. */
export function explainUnschedulable(deployment: string, spec: V1PodSpec | undefined, message: string): Explanation | undefined {
  const failure = parseSchedulingFailure(message);
  if (!failure || failure.refusals.some((r) => r.kind === 'other')) return undefined;
  const has = (kind: Refusal['kind']) => failure.refusals.some((r) => r.kind === kind);
  // Nodes short of room had passed the selector: their room, not the selector, is what is missing.
  if (has('resource')) return tooBig(deployment, spec, failure);
  if (has('selector')) return pinned(deployment, spec, failure);
  return tainted(deployment, failure);
}

/** Nodes by what refused them: "1 cordoned, 1 with taint node.kubernetes.io/unreachable, 2 without enough cpu free". */
function nodesText(refusals: Refusal[]): string {
  return refusals
    .map((r) => {
      if (r.kind === 'cordoned') return `${r.nodes} cordoned`;
      if (r.kind === 'taint') return r.taint ? `${r.nodes} with taint ${r.taint}` : `${r.nodes} with a taint it does not tolerate`;
      if (r.kind === 'selector') return `${r.nodes} outside its node selector/affinity`;
      if (r.kind === 'resource') return `${r.nodes} without enough ${r.resource} free`;
      return `${r.nodes} ${r.text}`;
    })
    .join(', ');
}

function pinned(deployment: string, spec: V1PodSpec | undefined, failure: SchedulingFailure): Explanation | undefined {
  const confined = confinementOf(spec);
  if (!confined) return undefined;
  const relabel = confined.labels ? ` or label another node ${confined.labels.join(' and ')}` : '';
  return {
    cause: `Deployment ${deployment}'s pods may only run on nodes matching its ${confined.text}, and no such node is schedulable now: of ${failure.total} nodes, ${nodesText(failure.refusals)}`,
    fix: `relax ${confined.field} of Deployment ${deployment} (${confined.rule})${relabel}`,
  };
}

function tooBig(deployment: string, spec: V1PodSpec | undefined, failure: SchedulingFailure): Explanation {
  const short = [...new Set(failure.refusals.flatMap((r) => (r.kind === 'resource' ? [r.resource] : [])))];
  const requests = short.map((resource) => ({ resource, by: (spec?.containers ?? []).flatMap((c) => (c.resources?.requests?.[resource] ? [`${c.name}: ${c.resources.requests[resource]}`] : [])) }));
  const asked = requests.map((r) => `${r.resource}${r.by.length ? ` (${r.by.join(', ')})` : ''}`).join(' and ');
  const requested = requests.filter((r) => r.by.length);
  return {
    cause: `Deployment ${deployment}'s pods request ${asked}, more than any node that may run them has free: of ${failure.total} nodes, ${nodesText(failure.refusals)}`,
    ...(requested.length && {
      fix: `lower ${requested.map((r) => `resources.requests.${r.resource}`).join(' and ')} of Deployment ${deployment} (${requested.flatMap((r) => r.by).join(', ')}), or add a node with that much ${requested.map((r) => r.resource).join(' and ')} free`,
    }),
  };
}

function tainted(deployment: string, failure: SchedulingFailure): Explanation | undefined {
  if (!failure.refusals.length) return undefined;
  const userTaints = [...new Set(failure.refusals.flatMap((r) => (r.kind === 'taint' && r.taint && !SYSTEM_TAINT.test(r.taint) ? [r.taint] : [])))];
  const cause = `no node may take Deployment ${deployment}'s pods now: of ${failure.total} nodes, ${nodesText(failure.refusals)}`;
  // Nodes down, cordoned or reserved for the control plane are the fault's doing or by design: nothing in the stack to change.
  if (!userTaints.length) return { cause };
  return { cause, fix: `add a toleration for ${userTaints.join(' and ')} to spec.template.spec.tolerations of Deployment ${deployment}, or remove that taint from the nodes` };
}

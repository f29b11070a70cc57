// What confines a pod template to some nodes: its nodeSelector, else its
// required node affinity, in the words and fields a fix names.
import type { V1NodeSelectorRequirement, V1PodSpec } from '@kubernetes/client-node';
import { selectorText } from './pods.ts';

/** What confines the pod to some nodes: its nodeSelector, else its required node affinity. */
export interface Confinement {
  /** The pod template's field that says it. */
  field: string;
  /** Its value, as written: "shakedown.dev/pin: true", "shakedown.dev/pin in (true)". */
  rule: string;
  /** The field and value in a sentence: "nodeSelector {shakedown.dev/pin: true}". */
  text: string;
  /** Labels that would make a node match, when the confinement is that simple. */
  labels?: string[];
}

export function confinementOf(spec: V1PodSpec | undefined): Confinement | undefined {
  const selector = Object.entries(spec?.nodeSelector ?? {});
  if (selector.length) {
    const rule = selector.map(([k, v]) => `${k}: ${v}`).join(', ');
    return { field: 'spec.template.spec.nodeSelector', rule, text: `nodeSelector {${rule}}`, labels: selector.map(([k, v]) => `${k}=${v}`) };
  }
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (!terms.length) return undefined;
  // Terms are ORed, a term's expressions ANDed.
  const rule = terms.map((t) => (t.matchExpressions ?? []).map(requirementText).join(', ')).join(' or ');
  const simple = terms.map((t) => t.matchExpressions ?? []).find((rs) => rs.length && rs.every((r) => r.operator === 'In' && r.values?.length === 1));
  return { field: 'spec.template.spec.affinity.nodeAffinity', rule, text: `required node affinity (${rule})`, ...(simple && { labels: simple.map((r) => `${r.key}=${r.values![0]}`) }) };
}

function requirementText(r: V1NodeSelectorRequirement): string {
  if (r.operator === 'Gt' || r.operator === 'Lt') return `${r.key} ${r.operator === 'Gt' ? '>' : '<'} ${r.values?.[0]}`;
  return selectorText({ matchExpressions: [r] });
}

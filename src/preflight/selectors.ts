// Label selectors, node selector terms and taint tolerations, with the
// semantics of the Kubernetes API (k8s.io/apimachinery labels, the
// scheduler's NodeAffinity and TaintToleration plugins).
import type { LabelSelector, NodeInfo, NodeSelectorTerm, SelectorRequirement, Taint, Toleration } from './model.ts';

function requirementHolds(req: SelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && values.length === 1 && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && values.length === 1 && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** A label selector; an empty one selects everything (callers decide what an absent one means). */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((req) => requirementHolds(req, labels[req.key]));
}

/** Required node affinity: terms are ORed, a term's requirements ANDed; a term with none matches nothing. */
export function matchesNodeTerms(terms: NodeSelectorTerm[], node: Pick<NodeInfo, 'name' | 'labels'>): boolean {
  return terms.some((term) => {
    const expressions = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (expressions.length === 0 && fields.length === 0) return false;
    return expressions.every((req) => requirementHolds(req, node.labels[req.key])) && fields.every((req) => requirementHolds(req, req.key === 'metadata.name' ? node.name : undefined));
  });
}

export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** Taints that keep a pod off a node: NoSchedule and NoExecute ones it does not tolerate. */
export function untoleratedTaints(tolerations: Toleration[], taints: Taint[]): Taint[] {
  return taints.filter((taint) => taint.effect !== 'PreferNoSchedule' && !tolerates(tolerations, taint));
}

export function taintText(taint: Taint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`;
}

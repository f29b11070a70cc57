// Label selectors, node selector terms and taint tolerations, with the
// semantics of the Kubernetes API (k8s.io/apimachinery labels, the
// scheduler's NodeAffinity and TaintToleration plugins).
import { requirementHolds } from '../core/label-selector.ts';
import type { NodeInfo, NodeSelectorTerm, Taint, Toleration } from './model.ts';

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

// Label selectors with the Kubernetes API's semantics (apimachinery
// labels.Selector; Gt and Lt as node affinity has them): matchLabels AND
// every matchExpression, and an empty selector selects everything. What an
// ABSENT selector means differs per field (all pods, no constraint, not a
// peer, nothing), so callers decide that before calling here.

export interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelectorLike {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
}

/** One requirement against a label's value (undefined: the label is absent). */
export function requirementHolds(req: SelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      // An absent key satisfies NotIn, as in labels.Requirement.Matches.
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
      throw new Error(`unknown selector operator ${JSON.stringify(req.operator)}`);
  }
}

export function selects(selector: LabelSelectorLike, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  return (selector.matchExpressions ?? []).every((req) => requirementHolds(req, Object.hasOwn(labels, req.key) ? labels[req.key] : undefined));
}

/** matchLabels as a manifest spells it, on one line: {app: web}. */
export function matchLabelsYaml(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}}`;
}

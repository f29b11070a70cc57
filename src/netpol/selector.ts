// Label selectors as a NetworkPolicy's author writes them: checked the way
// metav1.ValidateLabelSelector checks them. Matching is core/label-selector.ts.
import { OPERATORS } from './model.ts';

/** A selector as written, before its operators are known to be valid. */
export interface RawLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface SelectorIssue {
  path: (string | number)[];
  message: string;
}

/** The checks of metav1 ValidateLabelSelector, with paths relative to the selector. */
export function validateSelector(selector: RawLabelSelector): SelectorIssue[] {
  const issues: SelectorIssue[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const keyError = labelKeyError(key);
    if (keyError) issues.push({ path: ['matchLabels', key], message: keyError });
    const valueError = labelValueError(value);
    if (valueError) issues.push({ path: ['matchLabels', key], message: valueError });
  }
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const at = (...rest: (string | number)[]) => ['matchExpressions', i, ...rest];
    const keyError = labelKeyError(req.key);
    if (keyError) issues.push({ path: at('key'), message: keyError });
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) {
          issues.push({ path: at('values'), message: `must be non-empty when operator is ${req.operator}` });
        }
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          issues.push({ path: at('values'), message: `must be empty when operator is ${req.operator}` });
        }
        break;
      default:
        issues.push({
          path: at('operator'),
          message: `unknown operator ${JSON.stringify(req.operator)} (expected ${OPERATORS.join(', ')})`,
        });
    }
    values.forEach((v, j) => {
      const valueError = labelValueError(v);
      if (valueError) issues.push({ path: at('values', j), message: valueError });
    });
  });
  return issues;
}

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Label keys are qualified names: optional DNS-subdomain prefix, '/', name of ≤63 chars. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `invalid label key ${JSON.stringify(key)}: prefix must be a lowercase DNS subdomain`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `invalid label key ${JSON.stringify(key)}: name must be 1-63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  }
  return undefined;
}

/** Label values: empty, or ≤63 alphanumerics/'-'/'_'/'.' starting and ending alphanumeric. */
export function labelValueError(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return undefined;
  return `invalid label value ${JSON.stringify(value)}: must be at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
}

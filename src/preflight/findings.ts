// What preflight reports: findings, each naming the object it is about and,
// where there is one, a one-line fix. A blocker means the upgrade as
// planned would stop or break (exit 1); a warning costs availability or
// data but lets it through; info is context.

export type Severity = 'blocker' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** Which check found it: drain, budget-never-allows, removed-api, kubelet-skew... */
  check: string;
  /** The object, as "Kind namespace/name" (or a file and document for manifests). */
  object: string;
  message: string;
  fix?: string;
  /** The node whose drain it concerns. */
  node?: string;
}

const ORDER: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };

export function bySeverity(a: Finding, b: Finding): number {
  return ORDER[a.severity] - ORDER[b.severity];
}

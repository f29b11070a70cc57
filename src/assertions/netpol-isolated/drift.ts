// Which NetworkPolicies changed since the steady state. The policies read
// then are the isolation the run promises to keep; a policy added, removed
// or edited later is drift, named in the verdict.
import type { NetworkPolicy } from '../../netpol/model.ts';
import { policyKey } from '../../netpol/model.ts';

export function policyDrift(before: NetworkPolicy[], now: NetworkPolicy[]): string[] {
  const was = new Map(before.map((p) => [policyKey(p), JSON.stringify(p.spec)]));
  const is = new Map(now.map((p) => [policyKey(p), JSON.stringify(p.spec)]));
  const out: string[] = [];
  for (const [key, spec] of is) {
    if (!was.has(key)) out.push(`added ${key}`);
    else if (was.get(key) !== spec) out.push(`changed ${key}`);
  }
  for (const key of was.keys()) if (!is.has(key)) out.push(`removed ${key}`);
  return out.sort();
}

// Which NetworkPolicies changed since the steady state. The policies read
// then are the isolation the run promises to keep; a policy added, removed
// or edited later is drift, named in the verdict, and where it lets through
// what the contract denies, named as the cause.
import { expectedReachability, type ReachabilityOptions } from '../../netpol/engine.ts';
import type { Cluster, NetworkPolicy } from '../../netpol/model.ts';
import { cellKey, policyKey } from '../../netpol/model.ts';

export interface PolicyChange {
  change: 'added' | 'changed' | 'removed';
  key: string;
  /** The live policy; absent once removed. */
  now?: NetworkPolicy;
}

export function policyChanges(before: NetworkPolicy[], now: NetworkPolicy[]): PolicyChange[] {
  const was = new Map(before.map((p) => [policyKey(p), JSON.stringify(p.spec)]));
  const is = new Map(now.map((p) => [policyKey(p), p]));
  const out: PolicyChange[] = [];
  for (const [key, policy] of is) {
    if (!was.has(key)) out.push({ change: 'added', key, now: policy });
    else if (was.get(key) !== JSON.stringify(policy.spec)) out.push({ change: 'changed', key, now: policy });
  }
  for (const key of was.keys()) if (!is.has(key)) out.push({ change: 'removed', key });
  return out;
}

export function policyDrift(before: NetworkPolicy[], now: NetworkPolicy[]): string[] {
  return policyChanges(before, now)
    .map((c) => `${c.change} ${c.key}`)
    .sort();
}

/** A change since the contract and the cells it flips, as the engine judges it. */
export interface DriftEffect extends PolicyChange {
  /** Cell keys (cellKey) the contract denies and the contract with this one change allows. */
  opens: Set<string>;
  /** Cell keys the contract allows and the contract with this one change denies. */
  closes: Set<string>;
}

/** Each change judged alone against the contract: a cell it flips is one that change explains. */
export function driftEffects(contract: NetworkPolicy[], live: Cluster, options: ReachabilityOptions): DriftEffect[] {
  const changes = policyChanges(contract, live.policies);
  if (changes.length === 0) return [];
  const allowed = (policies: NetworkPolicy[]) => new Map(expectedReachability({ ...live, policies }, options).map((c) => [cellKey(c), c.allowed]));
  const before = allowed(contract);
  return changes.flatMap((change) => {
    const after = allowed([...contract.filter((p) => policyKey(p) !== change.key), ...(change.now ? [change.now] : [])]);
    const flipped = (to: boolean) => new Set([...after].flatMap(([key, allows]) => (allows === to && before.get(key) === !to ? [key] : [])));
    const effect = { ...change, opens: flipped(true), closes: flipped(false) };
    return effect.opens.size || effect.closes.size ? [effect] : [];
  });
}

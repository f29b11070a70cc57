// NetworkPolicies that select no pod of their namespace isolate nothing:
// almost always a typo in podSelector, and a policy netpol-isolated can prove
// nothing about. Said at deploy, with the nearest label the pods do carry.
import type { V1Pod } from '@kubernetes/client-node';
import { matchLabelsYaml, selects } from '../../core/label-selector.ts';
import { policyKey, type NetworkPolicy } from '../../netpol/model.ts';
import { nearestName } from '../../scenario/suggest.ts';

export function strayPolicies(policies: NetworkPolicy[], pods: V1Pod[], namespace: string): string[] {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.namespace === namespace);
  const carried = new Set(live.flatMap((p) => Object.entries(p.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`)));
  return policies
    .filter((policy) => policy.metadata.namespace === namespace && !live.some((p) => selects(policy.spec.podSelector ?? {}, p.metadata?.labels ?? {})))
    .map((policy) => {
      const wanted = Object.entries(policy.spec.podSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
      const near = wanted.map((w) => (carried.has(w) ? undefined : nearestName(w, carried))).find(Boolean);
      return `NetworkPolicy ${policyKey(policy)} selects ${matchLabelsYaml(policy.spec.podSelector?.matchLabels ?? {})}${policy.spec.podSelector?.matchExpressions?.length ? ' (with expressions)' : ''}, which matches no pod in ${namespace}: it isolates nothing${near ? `; did you mean ${near}?` : ''}`;
    });
}

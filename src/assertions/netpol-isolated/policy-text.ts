// A NetworkPolicy in a person's words: which pods it selects and what it
// lets in or out, e.g. "selects every pod in shop and allows all ingress".
// Pure.
import { effectivePolicyTypes } from '../../netpol/engine.ts';
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyType } from '../../netpol/model.ts';
import { selectorText } from '../shared/pods.ts';

interface Rule {
  peers?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export function policyEffect(policy: NetworkPolicy): string {
  const namespace = policy.metadata.namespace;
  const rules = [...effectivePolicyTypes(policy)].map((type) =>
    type === 'Ingress'
      ? rulesText(
          'ingress',
          'from',
          policy.spec.ingress?.map((r) => ({ peers: r.from, ports: r.ports })),
          namespace,
        )
      : rulesText(
          'egress',
          'to',
          policy.spec.egress?.map((r) => ({ peers: r.to, ports: r.ports })),
          namespace,
        ),
  );
  return `selects ${podsText(policy.spec.podSelector, namespace)} and ${rules.join(' and ')}`;
}

/** The fields that say whom a policy lets through: "ingress from:", "egress to:". */
export function peerFields(policy: NetworkPolicy): string {
  return [...effectivePolicyTypes(policy)].map((type: PolicyType) => (type === 'Ingress' ? 'ingress from:' : 'egress to:')).join(' and ');
}

function podsText(selector: LabelSelector | undefined, namespace: string): string {
  const text = selector ? selectorText(selector) : '';
  return text ? `pods ${text} in ${namespace}` : `every pod in ${namespace}`;
}

function rulesText(direction: string, preposition: string, rules: Rule[] | undefined, namespace: string): string {
  if (!rules?.length) return `denies all ${direction}`;
  // A rule with no peers and no ports matches everything: the others add nothing.
  if (rules.some((r) => !r.peers?.length && !r.ports?.length)) return `allows all ${direction}`;
  return `allows ${direction} ${rules.map((r) => ruleText(preposition, r, namespace)).join(' or ')}`;
}

function ruleText(preposition: string, rule: Rule, namespace: string): string {
  const peers = rule.peers?.length ? rule.peers.map((p) => peerText(p, namespace)).join(', ') : 'anywhere';
  const ports = rule.ports?.length ? ` on port ${rule.ports.map((p) => `${p.port ?? 'any'}${p.endPort ? `-${p.endPort}` : ''}`).join(', ')}` : '';
  return `${preposition} ${peers}${ports}`;
}

function peerText(peer: NetworkPolicyPeer, namespace: string): string {
  if (peer.ipBlock) return `${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
  if (!peer.namespaceSelector) return podsText(peer.podSelector, namespace);
  const namespaces = selectorText(peer.namespaceSelector);
  const pods = peer.podSelector ? selectorText(peer.podSelector) : '';
  return `${pods ? `pods ${pods}` : 'every pod'} in ${namespaces ? `namespaces ${namespaces}` : 'every namespace'}`;
}

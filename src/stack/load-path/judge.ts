// The load path judged by the NetworkPolicy engine: a hop the stack's own
// policies deny is a design fault of the stack ("the policies deny what the
// stack needs"), never the CNI's ("the CNI let through what the policies
// deny", netpol-isolated's failure). Each cut names the policies that
// isolate the side that refuses, their selectors, and the rule to add.
import type { V1Pod } from '@kubernetes/client-node';
import type { Explanation } from '../../core/result.ts';
import { connectionJudge, type SideVerdict, type Source } from '../../netpol/engine.ts';
import { toPod } from '../../netpol/live.ts';
import { NAMESPACE_NAME_LABEL, policyKey, type Cluster, type LabelSelector, type NetworkPolicy } from '../../netpol/model.ts';
import type { Hop, HopEnd } from './hops.ts';
import { matchLabelsYaml } from '../../core/label-selector.ts';

export interface PathCut extends Explanation {
  /** The load cannot even reach the target's pods: nothing the scenario measures can pass. */
  entry: boolean;
}

export interface PathPolicies {
  /** Labels of the namespaces involved (the stack's, kube-system). */
  namespaces: Array<{ name: string; labels: Record<string, string> }>;
  policies: NetworkPolicy[];
  /** Addresses the load may arrive from (the nodes', after the NodePort's SNAT). */
  loadSources: string[];
}

export const CUT_PREFIX = 'the policies deny what the stack needs';

/** The hops the policies deny, each explained with its fix; empty when the whole path is open. */
export function pathCuts(hops: Hop[], state: PathPolicies): PathCut[] {
  const cluster: Cluster = { namespaces: state.namespaces.map((n) => ({ name: n.name, labels: { ...n.labels, [NAMESPACE_NAME_LABEL]: n.name } })), pods: [], policies: state.policies };
  const judge = connectionJudge(cluster);
  const load: Source = { external: 'the load', ips: state.loadSources };
  const cuts: PathCut[] = [];
  hops.forEach((hop, index) => {
    const sources: Array<{ source: Source; pod?: V1Pod }> = hop.from.pods.length ? hop.from.pods.map((pod) => ({ source: toPod(pod), pod })) : [{ source: load }];
    let pairs = 0;
    const denied: Array<{ sides: SideVerdict[]; port: number }> = [];
    for (const { source } of sources) {
      for (const pod of hop.to.pods) {
        const port = hop.port(pod);
        if (port === undefined) continue;
        pairs++;
        const verdict = judge(source, toPod(pod), port, hop.protocol);
        if (!verdict.allowed) denied.push({ sides: verdict.denied, port });
      }
    }
    if (!denied.length) return;
    const { sides, port } = denied[0]!;
    const how = denied.length === pairs ? 'is denied' : `is denied for ${denied.length} of ${pairs} pod pairs`;
    const refusals = sides.map((side) => refusal(side, hop, cluster.policies)).join('; ');
    cuts.push({
      entry: index === 0 && !hop.from.pods.length,
      cause: `${CUT_PREFIX}: ${hop.from.text} to ${hop.to.text} on ${hop.portText} (${hop.because}) ${how}: ${refusals}`,
      fix: sides.map((side) => ruleToAdd(side, hop, port)).join('; and '),
    });
  });
  return cuts;
}

/** "their ingress is isolated by ns/default-deny (podSelector {}) and no rule admits ...". */
function refusal(side: SideVerdict, hop: Hop, policies: NetworkPolicy[]): string {
  const subject = side.direction === 'ingress' ? hop.to : hop.from;
  const other = side.direction === 'ingress' ? hop.from : hop.to;
  const named = side.isolating.map((key) => `${key} (podSelector ${selectorYaml(policies.find((p) => policyKey(p) === key)?.spec.podSelector)})`);
  const verb = side.direction === 'ingress' ? `admits ${other.text}` : `lets them reach ${other.text}`;
  return `the ${side.direction} of ${subject.text} is isolated by ${named.join(', ')}, and no rule ${verb} on ${hop.portText}`;
}

/** The rule that opens the hop, in manifest terms. */
function ruleToAdd(side: SideVerdict, hop: Hop, port: number): string {
  const subject = side.direction === 'ingress' ? hop.to : hop.from;
  const other = side.direction === 'ingress' ? hop.from : hop.to;
  const namespace = (subject.service ?? '').split('/')[0];
  const peer = peerYaml(other, namespace);
  const rule = side.direction === 'ingress' ? `an ingress rule ${peer ? `from [${peer}] ` : 'with no from (any source) '}` : `an egress rule to [${peer}] `;
  return `add a NetworkPolicy in ${namespace} with podSelector ${matchLabelsYaml(subject.labels)}, policyTypes [${side.direction === 'ingress' ? 'Ingress' : 'Egress'}] and ${rule}on ports [{port: ${port}, protocol: ${hop.protocol}}]`;
}

/** The peer a rule names: the pods' labels, with their namespace when it is another. */
function peerYaml(end: HopEnd, policyNamespace: string | undefined): string | undefined {
  if (!end.pods.length) return undefined;
  const namespace = (end.service ?? '').split('/')[0];
  const pods = `podSelector: {matchLabels: ${matchLabelsYaml(end.labels)}}`;
  return namespace && namespace !== policyNamespace ? `{namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${namespace}}}, ${pods}}` : `{${pods}}`;
}

function selectorYaml(selector: LabelSelector | undefined): string {
  if (!selector) return '{}';
  const labels = matchLabelsYaml(selector.matchLabels ?? {});
  const expressions = (selector.matchExpressions ?? []).map((e) => `${e.key} ${e.operator}${e.values ? ` (${e.values.join(', ')})` : ''}`);
  return expressions.length ? `${labels === '{}' ? '' : `${labels} `}${expressions.join(', ')}` : labels;
}

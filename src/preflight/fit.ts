// Scheduling fit: whether the scheduler could place a pod on a node, with
// the filters that decide it in kube-scheduler: NodeResourcesFit (requests
// against allocatable), TaintToleration, NodeAffinity (nodeSelector and
// required node affinity), InterPodAffinity (required terms, both ways for
// anti-affinity) and PodTopologySpread (DoNotSchedule constraints).
// Among nodes that fit, the least allocated one is chosen, as the default
// scoring prefers. Preferred terms and ScheduleAnyway spread only score,
// so they never keep a pod off a node and are not modelled.
import type { NodeInfo, PodAffinityTerm, PodInfo, SpreadConstraint } from './model.ts';
import { covers, type Occupancy, type PodFilter } from './occupancy.ts';
import { formatAmount } from '../core/quantity.ts';
import { selects } from '../core/label-selector.ts';
import { matchesNodeTerms, taintText, tolerates, untoleratedTaints } from './selectors.ts';

/** Why a node cannot take a pod: `kind` groups the same cause across nodes. */
export interface Misfit {
  node: string;
  kind: string;
  detail: string;
  /** For missing room: how much is free, and how to say it for several nodes (the most any of them has). */
  room?: { free: number; several: string };
}

export type Placement = { node: string } | { misfits: Misfit[] };

export interface FitContext {
  occupancy: Occupancy;
  namespaceLabels?: Record<string, Record<string, string>>;
}

/** Filters that depend on the node alone: taints, nodeSelector, required node affinity. */
export function staticMisfit(pod: PodInfo, node: NodeInfo): Misfit | undefined {
  for (const taint of node.taints) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerates(pod.tolerations, taint)) return { node: node.name, kind: `taint ${taintText(taint)}`, detail: `taint ${taintText(taint)} not tolerated` };
  }
  for (const key in pod.nodeSelector) {
    if (node.labels[key] !== pod.nodeSelector[key]) return { node: node.name, kind: 'nodeSelector', detail: `nodeSelector ${key}=${pod.nodeSelector[key]} not matched` };
  }
  if (pod.requiredNodeAffinity && !matchesNodeTerms(pod.requiredNodeAffinity, node)) return { node: node.name, kind: 'node affinity', detail: 'required node affinity not matched' };
  return undefined;
}

/** Requests against what the node has left; `requests` is the pod's non-zero requests, listed once per placement. */
export function resourceMisfit(requests: ReadonlyArray<readonly [string, number]>, node: NodeInfo, occupancy: Occupancy): Misfit | undefined {
  const used = occupancy.used(node.name);
  for (const [resource, amount] of requests) {
    const allocatable = node.allocatable[resource];
    if (allocatable === undefined) return { node: node.name, kind: `no ${resource}`, detail: `has no ${resource}` };
    const free = allocatable - (used[resource] ?? 0);
    if (amount > free) {
      const needs = `insufficient ${resource}: needs ${formatAmount(resource, amount)}, ${formatAmount(resource, Math.max(0, free))} free`;
      return { node: node.name, kind: `insufficient ${resource}`, detail: needs, room: { free, several: `${needs} at most` } };
    }
  }
  return undefined;
}

/** The pods a term counts: its namespaces, or those its namespaceSelector picks ({} is all), else the pod's own. */
export function termFilter(term: PodAffinityTerm, podNamespace: string, namespaceLabels?: Record<string, Record<string, string>>): PodFilter {
  const selector = term.labelSelector ?? { matchExpressions: [{ key: '', operator: 'In', values: [] }] }; // absent: matches no pod
  if (term.namespaceSelector) {
    const sel = term.namespaceSelector;
    if (!sel.matchLabels && !sel.matchExpressions?.length) return { namespaces: 'all', selector };
    const picked = Object.entries(namespaceLabels ?? {})
      .filter(([, labels]) => selects(sel, labels))
      .map(([name]) => name);
    return { namespaces: [...new Set([...(term.namespaces ?? []), ...picked])].sort(), selector };
  }
  return { namespaces: term.namespaces?.length ? [...term.namespaces].sort() : [podNamespace], selector };
}

/** Domain values (a node label's values) that hold at least one counted pod. */
function occupiedDomains(perNode: ReadonlyMap<string, number>, topologyKey: string, occupancy: Occupancy): Set<string> {
  const domains = new Set<string>();
  for (const node of perNode.keys()) {
    const value = occupancy.nodes.get(node)?.labels[topologyKey];
    if (value !== undefined) domains.add(value);
  }
  return domains;
}

type NodeCheck = (node: NodeInfo) => Misfit | undefined;

function antiAffinityCheck(pod: PodInfo, ctx: FitContext): NodeCheck {
  const forbidden: Array<{ key: string; domains: Set<string>; why: string }> = [];
  for (const term of pod.requiredAntiAffinity) {
    const perNode = ctx.occupancy.matchingPerNode(termFilter(term, pod.namespace, ctx.namespaceLabels));
    forbidden.push({ key: term.topologyKey, domains: occupiedDomains(perNode, term.topologyKey, ctx.occupancy), why: `its anti-affinity (${term.topologyKey}) matches a pod there` });
  }
  // Symmetry: a placed pod's anti-affinity that matches this pod keeps it out of that pod's domain.
  for (const holder of ctx.occupancy.antiAffinityHolders()) {
    const holderNode = ctx.occupancy.nodes.get(ctx.occupancy.nodeOf(holder) ?? '');
    if (!holderNode) continue;
    for (const term of holder.requiredAntiAffinity) {
      const value = holderNode.labels[term.topologyKey];
      if (value !== undefined && covers(termFilter(term, holder.namespace, ctx.namespaceLabels), pod)) {
        forbidden.push({ key: term.topologyKey, domains: new Set([value]), why: `anti-affinity of ${holder.namespace}/${holder.name} (${term.topologyKey}) matches it` });
      }
    }
  }
  return (node) => {
    for (const f of forbidden) {
      const value = node.labels[f.key];
      if (value !== undefined && f.domains.has(value)) return { node: node.name, kind: 'pod anti-affinity', detail: f.why };
    }
    return undefined;
  };
}

function affinityCheck(pod: PodInfo, ctx: FitContext): NodeCheck {
  const required = pod.requiredAffinity.map((term) => {
    const filter = termFilter(term, pod.namespace, ctx.namespaceLabels);
    const perNode = ctx.occupancy.matchingPerNode(filter);
    // The scheduler lets the first pod of a group that matches its own term go anywhere.
    const anywhere = perNode.size === 0 && covers(filter, pod);
    return { key: term.topologyKey, domains: occupiedDomains(perNode, term.topologyKey, ctx.occupancy), anywhere };
  });
  return (node) => {
    for (const r of required) {
      const value = node.labels[r.key];
      if (value === undefined || (!r.anywhere && !r.domains.has(value))) return { node: node.name, kind: 'pod affinity', detail: `no pod its affinity (${r.key}) requires is there` };
    }
    return undefined;
  };
}

/** The pods a spread constraint counts: its selector plus the pod's own values for matchLabelKeys, in the pod's namespace. */
export function spreadFilter(constraint: SpreadConstraint, pod: PodInfo): PodFilter {
  const base = constraint.labelSelector ?? { matchExpressions: [{ key: '', operator: 'In', values: [] }] };
  const extra = Object.fromEntries((constraint.matchLabelKeys ?? []).filter((k) => pod.labels[k] !== undefined).map((k) => [k, pod.labels[k]!]));
  return { namespaces: [pod.namespace], selector: { ...base, matchLabels: { ...base.matchLabels, ...extra } } };
}

/** A constraint's domains: for each node the pod could go to by the inclusion policies, its domain value. Static, so kept per occupancy. */
const domainCache = new WeakMap<Occupancy, Map<string, { domainOf: Map<string, string>; domains: string[] }>>();

function spreadDomains(pod: PodInfo, constraint: SpreadConstraint, occupancy: Occupancy): { domainOf: Map<string, string>; domains: string[] } {
  const honourAffinity = constraint.nodeAffinityPolicy !== 'Ignore';
  const honourTaints = constraint.nodeTaintsPolicy === 'Honor';
  const key = JSON.stringify([constraint.topologyKey, honourAffinity && [pod.nodeSelector, pod.requiredNodeAffinity], honourTaints && pod.tolerations]);
  let cache = domainCache.get(occupancy);
  if (!cache) domainCache.set(occupancy, (cache = new Map()));
  let entry = cache.get(key);
  if (!entry) {
    const domainOf = new Map<string, string>();
    for (const node of occupancy.nodes.values()) {
      const value = node.labels[constraint.topologyKey];
      if (value === undefined) continue;
      if (honourAffinity && !nodeAffinityHolds(pod, node)) continue;
      if (honourTaints && untoleratedTaints(pod.tolerations, node.taints).length) continue;
      domainOf.set(node.name, value);
    }
    entry = { domainOf, domains: [...new Set(domainOf.values())] };
    cache.set(key, entry);
  }
  return entry;
}

function spreadCheck(pod: PodInfo, ctx: FitContext): NodeCheck {
  const checks = pod.topologySpread
    .filter((c) => c.whenUnsatisfiable === 'DoNotSchedule')
    .map((constraint) => {
      const filter = spreadFilter(constraint, pod);
      const perNode = ctx.occupancy.matchingPerNode(filter);
      // Domains come from every node the pod could go to by its node affinity (nodeAffinityPolicy Honor,
      // the default) whatever its taints (nodeTaintsPolicy Ignore): cordoned and draining nodes count.
      const { domainOf, domains } = spreadDomains(pod, constraint, ctx.occupancy);
      const counts = new Map<string, number>(domains.map((d) => [d, 0]));
      for (const [node, n] of perNode) {
        const domain = domainOf.get(node);
        if (domain !== undefined) counts.set(domain, counts.get(domain)! + n);
      }
      let min = Number.POSITIVE_INFINITY;
      for (const n of counts.values()) if (n < min) min = n;
      if (counts.size < (constraint.minDomains ?? 1)) min = 0;
      const self = covers(filter, pod) ? 1 : 0;
      return { constraint, counts, min, self };
    });
  return (node) => {
    for (const { constraint, counts, min, self } of checks) {
      const value = node.labels[constraint.topologyKey];
      if (value === undefined) return { node: node.name, kind: `spread ${constraint.topologyKey}`, detail: `lacks label ${constraint.topologyKey} that its topology spread needs` };
      const skew = (counts.get(value) ?? 0) + self - min;
      if (skew > constraint.maxSkew) {
        return { node: node.name, kind: `spread ${constraint.topologyKey}`, detail: `topology spread on ${constraint.topologyKey}: skew would be ${skew}, maxSkew ${constraint.maxSkew} (DoNotSchedule)` };
      }
    }
    return undefined;
  };
}

function nodeAffinityHolds(pod: PodInfo, node: NodeInfo): boolean {
  return Object.entries(pod.nodeSelector).every(([k, v]) => node.labels[k] === v) && (!pod.requiredNodeAffinity || matchesNodeTerms(pod.requiredNodeAffinity, node));
}

/**
 * Where the scheduler could place `pod` on the nodes `up` at that point, or
 * why none will take it, node by node. Nodes are tried least allocated first
 * (the share of cpu and memory already requested), so the first that fits
 * is the one LeastAllocated scoring would pick, and a big cluster is not
 * scanned whole for every pod.
 */
export function findPlacement(pod: PodInfo, up: ReadonlySet<string>, ctx: FitContext): Placement {
  const requests = Object.entries(pod.requests).filter(([, amount]) => amount > 0);
  const checks: NodeCheck[] = [
    (node) => staticMisfit(pod, node),
    (node) => resourceMisfit(requests, node, ctx.occupancy),
    ...(pod.requiredAntiAffinity.length || ctx.occupancy.hasAntiAffinityHolders() ? [antiAffinityCheck(pod, ctx)] : []),
    ...(pod.requiredAffinity.length ? [affinityCheck(pod, ctx)] : []),
    ...(pod.topologySpread.some((c) => c.whenUnsatisfiable === 'DoNotSchedule') ? [spreadCheck(pod, ctx)] : []),
  ];
  const misfits: Misfit[] = [];
  for (const name of ctx.occupancy.inAllocationOrder(up)) {
    const node = ctx.occupancy.nodes.get(name)!;
    let misfit: Misfit | undefined;
    for (const check of checks) if ((misfit = check(node))) break;
    if (!misfit) return { node: name };
    misfits.push(misfit);
  }
  return { misfits: misfits.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)) };
}

/** One line: each cause once, with the nodes it holds on (first few named) and the first node's detail. */
export function describeMisfits(misfits: Misfit[]): string {
  if (misfits.length === 0) return 'no node is up to take it';
  const groups = new Map<string, Misfit[]>();
  for (const m of misfits) {
    const group = groups.get(m.kind);
    if (group) group.push(m);
    else groups.set(m.kind, [m]);
  }
  return [...groups.values()]
    .map((group) => {
      const names =
        group
          .slice(0, 3)
          .map((m) => m.node)
          .join(', ') + (group.length > 3 ? ` and ${group.length - 3} more` : '');
      if (group.length > 1 && group.every((m) => m.room)) {
        const roomiest = group.reduce((a, b) => (b.room!.free > a.room!.free ? b : a));
        return `${names}: ${roomiest.room!.several}`;
      }
      return `${names}: ${group[0]!.detail}`;
    })
    .join('; ');
}

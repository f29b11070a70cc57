// Which evictions preflight asks the API server about, as dry runs. Per
// node: one eviction the simulation lets through, and its first refused one
// if any, of pods that are there now (not moved there by an earlier drain).
// The API server answers alike for pods of one kind (same workload, budget,
// health and phase: an eviction webhook sees the workload too), so one dry
// run answers for the whole kind, and each node's pick leans to kinds other
// nodes pick: on a thousand nodes running three thousand Deployments that
// is a few hundred dry runs, not a thousand.
import type { DrainPlan, Eviction } from './drain.ts';
import { podKey, type PodInfo } from './model.ts';

export interface DryRunTarget {
  node: string;
  pod: string;
  /** The pod whose dry run answers for this one: itself, or one of its kind. */
  askedFor: string;
}

export function dryRunTargets(drain: DrainPlan, pods: PodInfo[]): { targets: DryRunTarget[]; asked: string[] } {
  const podOf = new Map(pods.map((p) => [podKey(p), p]));
  const kinds = new Map<Eviction, string>();
  const kindOf = (e: Eviction) => {
    let kind = kinds.get(e);
    if (kind === undefined) {
      const info = podOf.get(e.pod);
      const owner = info?.workload ?? info?.controller;
      kind = info && owner ? `${info.namespace}/${owner.kind}/${owner.name}|${e.budget ?? ''}|${e.cause ?? ''}|${info.ready}|${info.phase}|${info.terminating}` : e.pod;
      kinds.set(e, kind);
    }
    return kind;
  };
  const homes = drain.nodes.map((n) => {
    const home = n.evictions.filter((e) => podOf.get(e.pod)?.nodeName === n.node);
    return { node: n.node, home: home.length ? home : n.evictions.slice(0, 1) };
  });
  // How many nodes run a kind: the more, the more nodes one dry run of it answers.
  const reach = new Map<string, number>();
  for (const { home } of homes) for (const kind of new Set(home.map(kindOf))) reach.set(kind, (reach.get(kind) ?? 0) + 1);
  const asked = new Map<string, string>();
  const targets: DryRunTarget[] = [];
  const pick = (candidates: Eviction[]) => candidates.find((e) => asked.has(kindOf(e))) ?? candidates.reduce<Eviction | undefined>((best, e) => (!best || (reach.get(kindOf(e)) ?? 0) > (reach.get(kindOf(best)) ?? 0) ? e : best), undefined);
  for (const { node, home } of homes) {
    const evicted = home.filter((e) => e.outcome === 'evicted');
    // The first refused one is what the simulation blocks on.
    const firstRefused = home.find((e) => e.outcome === 'refused');
    for (const e of new Set([pick(evicted.length ? evicted : home), firstRefused])) {
      if (!e) continue;
      const kind = kindOf(e);
      if (!asked.has(kind)) asked.set(kind, e.pod);
      targets.push({ node, pod: e.pod, askedFor: asked.get(kind)! });
    }
  }
  return { targets, asked: [...asked.values()] };
}

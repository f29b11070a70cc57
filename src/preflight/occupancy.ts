// Which pods sit on which node as the simulated drain moves them: the
// resources each node has left, the nodes in the order the scheduler would
// prefer them, and counts of pods matching a selector per node, all kept up
// to date as pods move, so that no check rescans every pod or node (the
// simulation places tens of thousands of pods).
import type { LabelSelector, NodeInfo, PodInfo, Quantities } from './model.ts';
import { selects } from '../core/label-selector.ts';

/** Which pods a count covers: some namespaces (or all) and a label selector. */
export interface PodFilter {
  namespaces: string[] | 'all';
  selector: LabelSelector;
}

interface Counter {
  filter: PodFilter;
  /** Matching pods per node; only nodes with at least one. */
  perNode: Map<string, number>;
}

const ALL = '\u0000all';

export class Occupancy {
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly #podsOn = new Map<string, Map<string, PodInfo>>();
  readonly #used = new Map<string, Quantities>();
  readonly #nodeOf = new Map<string, string>();
  /** Placed pods by namespace, to build a new counter without scanning every pod. */
  readonly #byNamespace = new Map<string, Set<PodInfo>>();
  readonly #counters = new Map<string, Counter>();
  /** Counters by the namespaces they cover (ALL for every namespace): a move touches only its namespace's. */
  readonly #countersFor = new Map<string, Counter[]>();
  /** Placed pods with required anti-affinity: their terms keep matching pods away (the scheduler's symmetry). */
  readonly #antiAffinityHolders = new Map<string, PodInfo>();
  /** Node names, least allocated first (then by name), kept sorted as pods move. */
  readonly #byAllocation: string[] = [];
  readonly #allocation = new Map<string, number>();

  constructor(nodes: NodeInfo[], pods: PodInfo[]) {
    this.nodes = new Map(nodes.map((n) => [n.name, n]));
    for (const node of nodes) {
      this.#podsOn.set(node.name, new Map());
      this.#used.set(node.name, {});
      this.#allocation.set(node.name, 0);
    }
    this.#byAllocation.push(...[...this.nodes.keys()].sort());
    // Finished pods hold no resources; pods still terminating do until they are gone.
    for (const pod of pods) if (pod.nodeName && this.nodes.has(pod.nodeName) && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') this.place(pod, pod.nodeName);
  }

  nodeOf(pod: PodInfo): string | undefined {
    return this.#nodeOf.get(pod.uid);
  }

  podsOn(node: string): PodInfo[] {
    return [...(this.#podsOn.get(node)?.values() ?? [])];
  }

  used(node: string): Quantities {
    return this.#used.get(node) ?? {};
  }

  antiAffinityHolders(): Iterable<PodInfo> {
    return this.#antiAffinityHolders.values();
  }

  hasAntiAffinityHolders(): boolean {
    return this.#antiAffinityHolders.size > 0;
  }

  /** Every node, least allocated first: the order the scheduler's default scoring prefers them in. */
  byAllocation(): readonly string[] {
    return this.#byAllocation;
  }

  /** Of `names`, least allocated first; a few are sorted on their own rather than found in the whole list. */
  *inAllocationOrder(names: ReadonlySet<string>): Iterable<string> {
    if (names.size * 8 >= this.#byAllocation.length) {
      // Lazily: the first node tried usually fits.
      for (const n of this.#byAllocation) if (names.has(n)) yield n;
      return;
    }
    const allocation = (n: string) => this.#allocation.get(n) ?? 0;
    yield* [...names].filter((n) => this.nodes.has(n)).sort((a, b) => allocation(a) - allocation(b) || (a < b ? -1 : a > b ? 1 : 0));
  }

  place(pod: PodInfo, node: string): void {
    this.#podsOn.get(node)!.set(pod.uid, pod);
    this.#nodeOf.set(pod.uid, node);
    let inNamespace = this.#byNamespace.get(pod.namespace);
    if (!inNamespace) this.#byNamespace.set(pod.namespace, (inNamespace = new Set()));
    inNamespace.add(pod);
    this.#account(pod, node, 1);
    if (pod.requiredAntiAffinity.length) this.#antiAffinityHolders.set(pod.uid, pod);
  }

  remove(pod: PodInfo): void {
    const node = this.#nodeOf.get(pod.uid);
    if (!node) return;
    this.#podsOn.get(node)!.delete(pod.uid);
    this.#nodeOf.delete(pod.uid);
    this.#byNamespace.get(pod.namespace)?.delete(pod);
    this.#account(pod, node, -1);
    this.#antiAffinityHolders.delete(pod.uid);
  }

  /** Pods matching `filter` per node (nodes with none are absent); built once, then kept current. */
  matchingPerNode(filter: PodFilter): ReadonlyMap<string, number> {
    const key = JSON.stringify(filter);
    let counter = this.#counters.get(key);
    if (!counter) {
      counter = { filter, perNode: new Map() };
      const namespaces = filter.namespaces === 'all' ? [...this.#byNamespace.keys()] : filter.namespaces;
      for (const ns of namespaces) for (const pod of this.#byNamespace.get(ns) ?? []) if (selects(filter.selector, pod.labels)) bump(counter.perNode, this.#nodeOf.get(pod.uid)!, 1);
      this.#counters.set(key, counter);
      for (const ns of filter.namespaces === 'all' ? [ALL] : filter.namespaces) {
        const list = this.#countersFor.get(ns);
        if (list) list.push(counter);
        else this.#countersFor.set(ns, [counter]);
      }
    }
    return counter.perNode;
  }

  #account(pod: PodInfo, node: string, sign: 1 | -1): void {
    const used = this.#used.get(node)!;
    for (const resource in pod.requests) used[resource] = (used[resource] ?? 0) + sign * pod.requests[resource]!;
    this.#reorder(node);
    for (const ns of [pod.namespace, ALL]) for (const counter of this.#countersFor.get(ns) ?? []) if (selects(counter.filter.selector, pod.labels)) bump(counter.perNode, node, sign);
  }

  /** Where `node` sits in #byAllocation, found by its allocation, as the array is sorted by it. */
  #position(node: string, allocation: number): number {
    let lo = 0;
    let hi = this.#byAllocation.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.#byAllocation[mid]!;
      const a = this.#allocation.get(other)!;
      if (a < allocation || (a === allocation && other < node)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Re-sorts one node by its share of cpu and memory requested, averaged: what LeastAllocated scoring ranks by. */
  #reorder(node: string): void {
    const info = this.nodes.get(node)!;
    const used = this.#used.get(node)!;
    const share = (r: string) => (used[r] ?? 0) / Math.max(1, info.allocatable[r] ?? 1);
    const next = (share('cpu') + share('memory')) / 2;
    const previous = this.#allocation.get(node)!;
    if (next === previous) return;
    this.#byAllocation.splice(this.#position(node, previous), 1);
    this.#allocation.set(node, next);
    this.#byAllocation.splice(this.#position(node, next), 0, node);
  }
}

export function covers(filter: PodFilter, pod: PodInfo): boolean {
  return (filter.namespaces === 'all' || filter.namespaces.includes(pod.namespace)) && selects(filter.selector, pod.labels);
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}

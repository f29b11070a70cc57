// The rolling drain of an upgrade, simulated node by node over the snapshot.
//
// What the simulation assumes (kubeadm's procedure: drain, upgrade, uncordon,
// then the next node):
// - Nodes drain one at a time: control-plane nodes, then workers, by name.
// - While a node drains, its evicted pods can go to every other node that
//   took pods before the upgrade, including nodes drained earlier: those came
//   back, uncordoned, after their own upgrade. Nodes that were cordoned or
//   NotReady before the upgrade take no pods at any point.
// - A drain evicts DaemonSet pods never, mirror pods never, and finished or
//   terminating pods need no eviction.
// - A pod placed on another node is Ready again before its budget is needed
//   again: a drain retries a refused eviction until the replacement is Ready,
//   so the simulation lets the eviction wait for it (and says so). A pod
//   that was not Ready before the upgrade is not assumed to become Ready.
// - A pod that cannot be placed stays Pending, and its budgets count it as
//   unavailable, until a node it fits on is up again: the simulation retries
//   it when each later node starts to drain. One that never fits stays
//   Pending to the end; a pod with no controller is not recreated at all.
// - Pods that were Pending before the upgrade stay as they are: whatever
//   keeps them off the nodes now is outside what the simulation models.
// - A refused eviction blocks that node's drain: the pod stays where it is,
//   and the simulation goes on with the next node to find every blocker.
import { BudgetLedger, budgetKey, type EvictionVerdict, type PodState } from './budgets.ts';
import { describeMisfits, findPlacement } from './fit.ts';
import { evictable, podKey, type NodeInfo, type PodInfo, type Snapshot } from './model.ts';
import { Occupancy } from './occupancy.ts';

export interface Eviction {
  pod: string;
  outcome: 'evicted' | 'refused';
  /** The budget that let it go or refused it. */
  budget?: string;
  /** Replacements the drain waits for to be Ready before this eviction passes. */
  waitedFor?: string[];
  placedOn?: string;
  /** Why no node up could take it (it stays Pending). */
  unplaced?: string;
  /** No controller: deleted, not recreated. */
  notRecreated?: boolean;
  /** Why the Eviction API refuses it, with the pods that keep the budget short. */
  refusal?: string;
  cause?: 'two-budgets' | 'budget';
}

export interface NodeDrain {
  node: string;
  role: 'control-plane' | 'worker';
  /** Took pods before the upgrade (Ready, not cordoned). */
  schedulable: boolean;
  /** Pods Pending from earlier drains that a node now up could take, placed before this drain. */
  placedBeforeDrain: Array<{ pod: string; node: string }>;
  evictions: Eviction[];
  /** DaemonSet and mirror pods the drain leaves. */
  left: number;
  blocked: boolean;
}

export interface PendingPod {
  pod: string;
  /** The node it was evicted from. */
  from: string;
  why: string;
}

export interface DrainPlan {
  nodes: NodeDrain[];
  /** Pods still Pending once every node is back. */
  stillPending: PendingPod[];
}

export function drainOrder(nodes: NodeInfo[]): NodeInfo[] {
  const byName = (a: NodeInfo, b: NodeInfo) => a.name.localeCompare(b.name);
  return [...nodes.filter((n) => n.controlPlane).sort(byName), ...nodes.filter((n) => !n.controlPlane).sort(byName)];
}

export function simulateRollingDrain(snapshot: Snapshot): DrainPlan {
  const occupancy = new Occupancy(snapshot.nodes, snapshot.pods);
  const state = new Map<string, PodState>();
  for (const pod of snapshot.pods) {
    const bound = pod.nodeName !== undefined && occupancy.nodeOf(pod) !== undefined;
    state.set(pod.uid, !bound ? 'pending' : pod.ready ? 'ready' : 'unready');
  }
  const ledger = new BudgetLedger(snapshot.budgets, snapshot.pods, snapshot.workloads, (pod) => state.get(pod.uid) ?? 'pending');
  const ctx = { occupancy, ...(snapshot.namespaceLabels && { namespaceLabels: snapshot.namespaceLabels }) };
  const takesPods = snapshot.nodes.filter((n) => n.ready && !n.unschedulable);
  /** Evicted pods with no node yet, in eviction order, with what they should be once placed. */
  /** `why` is stale after a retry on the returned node alone: said again, over every node up, when it is needed. */
  const pending = new Map<string, { pod: PodInfo; from: string; why: string; stale?: ReadonlySet<string>; readyOncePlaced: boolean }>();
  /**
   * Why pods alike (fitClass) fit on none of a set of nodes, said once per
   * set: the set up during one drain, where room only shrinks, so a pod
   * alike to one that fit nowhere fits nowhere either; and the same set
   * again when a Pending pod's reason is wanted later.
   */
  const fitsNowhere = new WeakMap<ReadonlySet<string>, Map<string, string>>();
  const nowhereOn = (up: ReadonlySet<string>) => {
    let said = fitsNowhere.get(up);
    if (!said) fitsNowhere.set(up, (said = new Map()));
    return said;
  };
  const whyPending = (uid: string) => {
    const entry = pending.get(uid);
    if (entry?.stale) {
      const alike = fitClass(entry.pod);
      const said = nowhereOn(entry.stale);
      const known = alike !== undefined ? said.get(alike) : undefined;
      if (known !== undefined) entry.why = known;
      else {
        const placement = place(entry.pod, entry.stale);
        if (!('node' in placement)) {
          entry.why = describeMisfits(placement.misfits);
          if (alike !== undefined) said.set(alike, entry.why);
        }
      }
      delete entry.stale;
    }
    return entry;
  };
  const starting = new Set<PodInfo>();

  const place = (pod: PodInfo, up: ReadonlySet<string>) => findPlacement(pod, up, ctx);
  /**
   * Where a Pending pod is worth trying again once `returned` is back. Only
   * evictions free room, and only on the node draining, so a pod that fit
   * nowhere can now fit only there, unless what other pods do elsewhere
   * counts for it (pod affinity, anti-affinity, hard spread): those are
   * tried everywhere. Without this, a pool that takes none of the evicted
   * pods costs every Pending pod a scan of every node at every drain.
   */
  const countsOthers = (pod: PodInfo) => pod.requiredAffinity.length > 0 || pod.requiredAntiAffinity.length > 0 || occupancy.hasAntiAffinityHolders() || pod.topologySpread.some((c) => c.whenUnsatisfiable === 'DoNotSchedule');
  const retryOn = (pod: PodInfo, up: ReadonlySet<string>, returned: string | undefined): ReadonlySet<string> => {
    if (countsOthers(pod)) return up;
    return returned !== undefined && up.has(returned) ? new Set([returned]) : new Set();
  };
  /** Pods alike to the filters that only read the node and its room; undefined for those that count other pods. */
  const fitClass = (pod: PodInfo) => (countsOthers(pod) ? undefined : JSON.stringify([pod.requests, pod.tolerations, pod.nodeSelector, pod.requiredNodeAffinity ?? null]));
  /** Places what is Pending and fits now; keeps, for what does not, why it fit nowhere when last tried everywhere. */
  const placePending = (up: ReadonlySet<string>, returned: string | undefined, placed: (pod: PodInfo, node: string) => void) => {
    for (const [uid, entry] of pending) {
      const candidates = retryOn(entry.pod, up, returned);
      if (candidates.size === 0) continue;
      const placement = place(entry.pod, candidates);
      if (!('node' in placement)) {
        if (candidates === up) {
          entry.why = describeMisfits(placement.misfits);
          delete entry.stale;
        } else entry.stale = up;
        continue;
      }
      occupancy.place(entry.pod, placement.node);
      state.set(uid, entry.readyOncePlaced ? 'ready' : 'unready');
      pending.delete(uid);
      placed(entry.pod, placement.node);
    }
  };
  const nodes: NodeDrain[] = [];
  let returned: string | undefined;
  for (const node of drainOrder(snapshot.nodes)) {
    const up = new Set(takesPods.filter((n) => n.name !== node.name).map((n) => n.name));
    const drain: NodeDrain = { node: node.name, role: node.controlPlane ? 'control-plane' : 'worker', schedulable: takesPods.includes(node), placedBeforeDrain: [], evictions: [], left: 0, blocked: false };

    // The node drained before this one is back: Pending pods that fit now are placed, and are Ready by the time they count.
    placePending(up, returned, (pod, to) => drain.placedBeforeDrain.push({ pod: podKey(pod), node: to }));
    returned = node.name;
    const nowhere = nowhereOn(up);

    const onNode = occupancy.podsOn(node.name).sort((a, b) => podKey(a).localeCompare(podKey(b)));
    drain.left = onNode.filter((p) => !evictable(p)).length;
    for (const pod of onNode.filter(evictable)) {
      let verdict = ledger.check(pod);
      let waitedFor: string[] | undefined;
      if (!verdict.allowed && verdict.cause === 'budget') {
        // A drain retries refused evictions: replacements already placed become Ready meanwhile.
        const replacements = ledger.podsOf(verdict.budget).filter((p) => starting.has(p));
        if (replacements.length) {
          for (const p of replacements) {
            state.set(p.uid, 'ready');
            starting.delete(p);
          }
          waitedFor = replacements.map(podKey).sort();
          verdict = ledger.check(pod);
        }
      }
      if (!verdict.allowed) {
        drain.blocked = true;
        drain.evictions.push({
          pod: podKey(pod),
          outcome: 'refused',
          cause: verdict.cause,
          refusal: refusalText(verdict, ledger, whyPending),
          ...(verdict.cause === 'budget' && { budget: budgetKey(verdict.budget) }),
          ...(waitedFor && { waitedFor }),
        });
        continue;
      }
      const eviction: Eviction = { pod: podKey(pod), outcome: 'evicted', ...(verdict.budget && { budget: budgetKey(verdict.budget) }), ...(waitedFor && { waitedFor }) };
      const wasReady = state.get(pod.uid) === 'ready' || state.get(pod.uid) === 'starting';
      occupancy.remove(pod);
      starting.delete(pod);
      if (!pod.workload) {
        state.set(pod.uid, 'gone');
        eviction.notRecreated = true;
      } else {
        const alike = fitClass(pod);
        const known = alike !== undefined ? nowhere.get(alike) : undefined;
        const placement = known === undefined ? place(pod, up) : undefined;
        if (placement && 'node' in placement) {
          occupancy.place(pod, placement.node);
          state.set(pod.uid, wasReady ? 'starting' : 'unready');
          if (wasReady) starting.add(pod);
          eviction.placedOn = placement.node;
        } else {
          state.set(pod.uid, 'pending');
          eviction.unplaced = known ?? describeMisfits(placement!.misfits);
          if (alike !== undefined) nowhere.set(alike, eviction.unplaced);
          pending.set(pod.uid, { pod, from: node.name, why: eviction.unplaced, readyOncePlaced: wasReady });
        }
      }
      drain.evictions.push(eviction);
    }
    // Before the next node drains, what was placed is Ready.
    for (const pod of starting) state.set(pod.uid, 'ready');
    starting.clear();
    nodes.push(drain);
  }

  // Every node is back: a last chance for what is still Pending.
  placePending(new Set(takesPods.map((n) => n.name)), returned, () => {});
  const stillPending: PendingPod[] = [...pending.keys()].map((uid) => whyPending(uid)!).map((entry) => ({ pod: podKey(entry.pod), from: entry.from, why: entry.why }));
  return { nodes, stillPending };
}

/** The refusal, with what keeps the budget short: pods Pending since an earlier eviction, and why they have no node. */
function refusalText(verdict: Extract<EvictionVerdict, { allowed: false }>, ledger: BudgetLedger, pending: (uid: string) => { from: string; why: string } | undefined): string {
  if (verdict.cause === 'two-budgets') return verdict.message;
  const reasons = ledger.unhealthy(verdict.budget).map(({ pod, state }) => {
    const waiting = pending(pod.uid);
    if (waiting) return `${podKey(pod)} Pending since node ${waiting.from} drained (${waiting.why})`;
    if (state === 'gone') return `${podKey(pod)} deleted with no controller to recreate it`;
    if (state === 'pending') return `${podKey(pod)} Pending before the upgrade`;
    if (state === 'unready') return `${podKey(pod)} not Ready`;
    return `${podKey(pod)} ${state}`;
  });
  return reasons.length ? `${verdict.message}; not healthy: ${reasons.join('; ')}` : verdict.message;
}

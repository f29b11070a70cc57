// Why a failed availability window failed, from what the workloads did in
// it: a Deployment that ran a single replica, one without a budget when the
// fault evicted, one whose pods all ran in the zone or on the node the fault
// took; with every Deployment whole, a DNS outage that failed each fresh
// lookup; or a fault on the pods themselves (packets lost, CPU throttled,
// memory past its limit). Said only when the log shows it; an unknown cause
// leaves the message alone.
import type { V1Deployment, V1PodDisruptionBudget, V1PodSpec } from '@kubernetes/client-node';
import type { Impact } from '../../core/disruptions.ts';
import type { Explanation } from '../../core/result.ts';
import { durationText } from '../../scenario/duration.ts';
import { matchesSelector } from '../shared/pods.ts';
import { coverageOf, floorFor } from '../shared/budgets.ts';
import { andMore, budgetLabels, deploymentRef, noBudget } from '../shared/explain-text.ts';
import type { Placement, ReadyPoint } from './history.ts';
import { confinementOf } from '../shared/confinement.ts';
import { matchLabelsYaml } from '../../core/label-selector.ts';
import { ZONE_LABEL } from '../../core/node-roles.ts';

const HOSTNAME = 'kubernetes.io/hostname';

/** A stretch of the window in which a deployment served too few pods. */
export interface Shortage {
  from: number;
  to: number;
  lowest: number;
  /** spec.replicas when it began. */
  desired: number;
}

/** The stretches of [start, end] in which `short` held, reading the series as a step function. */
export function shortages(points: ReadyPoint[], window: { start: number; end: number }, short: (p: ReadyPoint) => boolean): Shortage[] {
  const before = points.findLast((p) => p.t <= window.start);
  const steps = [...(before ? [{ ...before, t: window.start }] : []), ...points.filter((p) => p.t > window.start && p.t < window.end)];
  const found: Shortage[] = [];
  let open: Shortage | undefined;
  for (const p of steps) {
    if (short(p) && !open) open = { from: p.t, to: window.end, lowest: p.ready, desired: p.desired };
    else if (short(p) && open) open.lowest = Math.min(open.lowest, p.ready);
    else if (open) {
      found.push({ ...open, to: p.t });
      open = undefined;
    }
  }
  return open ? [...found, open] : found;
}

const longest = (list: Shortage[]) => list.reduce<Shortage | undefined>((a, b) => (!a || b.to - b.from > a.to - a.from ? b : a), undefined);
const seconds = (ms: number) => `+${Math.round(ms / 1000)}s`;

/** "from +12s to +47s of the window (35s)", relative to its start. */
function when(s: Shortage, window: { start: number; end: number }): string {
  const lasted = durationText(Math.max(1000, Math.round((s.to - s.from) / 1000) * 1000));
  return `from ${seconds(s.from - window.start)} to ${seconds(s.to - window.start)} of the window (${lasted}${s.to >= window.end ? ', still at its end' : ''})`;
}

export interface WindowFacts {
  namespace: string;
  window: { start: number; end: number };
  deployments: V1Deployment[];
  budgets: V1PodDisruptionBudget[];
  ready: (deployment: string) => ReadyPoint[];
  /** Pods on nodes as the window began. */
  podsAtStart: Placement[];
  /** What the window's fault did. */
  impacts: Impact[];
}

/** The window's fault evicted through the Eviction API: budgets applied. */
const evicted = (impacts: Impact[]) => impacts.some((i) => i.disruption.kind === 'evictions-begin' || i.disruption.kind === 'pods-evicted');

/** Nodes the window's fault drained, stopped, cut off or degraded whole (a fault aimed at pods names their nodes too, but did not hit them). */
const nodesHit = (impacts: Impact[]) => new Set(impacts.flatMap((i) => (('pods' in i.disruption && i.disruption.pods?.length) || !('nodes' in i.disruption) ? [] : (i.disruption.nodes ?? []))));

/** The one node all of a deployment's pods (two or more) ran on, if they did. */
function soleNode(deployment: V1Deployment, placements: Placement[]): { node: string; pods: number } | undefined {
  const mine = placements.filter((p) => matchesSelector(p.labels, deployment.spec?.selector));
  const nodes = new Set(mine.map((p) => p.node));
  return mine.length >= 2 && nodes.size === 1 ? { node: mine[0]!.node, pods: mine.length } : undefined;
}

function singleReplica(deployment: V1Deployment, s: Shortage, f: WindowFacts): Explanation {
  const ref = deploymentRef(deployment, f.namespace);
  const budgetName = coverageOf(deployment, f.budgets, 1).budget;
  const budget = f.budgets.find((b) => b.metadata?.name === budgetName);
  const fix = !budget
    ? `set spec.replicas of ${ref} to at least 2 and add a PodDisruptionBudget with selector matchLabels ${matchLabelsYaml(budgetLabels(deployment))} and maxUnavailable: 1 (a drain then keeps one serving)`
    : floorFor(budget, 2, 1) < 2
      ? `set spec.replicas of ${ref} to at least 2 (PodDisruptionBudget ${budgetName} then lets a drain take one while another serves)`
      : `set spec.replicas of ${ref} to at least 2 and PodDisruptionBudget ${budgetName} to maxUnavailable: 1 (its floor would still keep every pod, blocking the drain)`;
  return { cause: `${ref} runs a single replica (spec.replicas 1): ${when(s, f.window)} it had 0 ready, so requests through it failed`, fix };
}

/** A zone the window's fault took down whole, holding every pod (two or more) of the deployment when the window began. */
function lostZone(deployment: V1Deployment, placements: Placement[], impacts: Impact[]): { zone: string; nodes: string[]; pods: number } | undefined {
  const mine = placements.filter((p) => matchesSelector(p.labels, deployment.spec?.selector));
  if (mine.length < 2) return undefined;
  for (const { disruption: d } of impacts) {
    if ((d.kind === 'nodes-stopped' || d.kind === 'nodes-cut-off') && d.zone && mine.every((p) => d.nodes.includes(p.node))) return { zone: d.zone, nodes: [...new Set(mine.map((p) => p.node))].sort(), pods: mine.length };
  }
  return undefined;
}

function inOneZone(deployment: V1Deployment, lost: { zone: string; nodes: string[]; pods: number }, s: Shortage, f: WindowFacts): Explanation {
  const ref = deploymentRef(deployment, f.namespace);
  const spec = deployment.spec?.template?.spec;
  const confined = confinementOf(spec);
  const cause = `all ${lost.pods} pods of ${ref} ran in zone ${lost.zone} (${lost.nodes.join(', ')})${confined ? `, where its ${confined.text} confines them` : ''}, and the fault took that zone down whole, so it had ${s.lowest} of ${s.desired} ready ${when(s, f.window)}`;
  const spread = `spec.topologySpreadConstraints: [{maxSkew: 1, topologyKey: ${ZONE_LABEL}, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: ${matchLabelsYaml(budgetLabels(deployment))}}}]`;
  if (confined) return { cause, fix: `relax ${confined.field} of ${ref} (${confined.rule}) so its pods can run in more than one zone, and add to its pod template ${spread}` };
  const spreadsZones = (spec?.topologySpreadConstraints ?? []).some((c) => c.topologyKey === ZONE_LABEL && c.whenUnsatisfiable === 'DoNotSchedule');
  return spreadsZones ? { cause } : { cause, fix: `add to ${ref}'s pod template ${spread} (spreading over nodes alone lets one zone hold every pod)` };
}

/** Every deployment kept its ready pods, and the window's fault silenced the cluster DNS: fresh lookups failed. */
function dnsOutage(f: WindowFacts): Explanation | undefined {
  const outage = f.impacts.find((i) => i.faultType === 'dns-outage');
  if (!outage) return undefined;
  return {
    cause: `every Deployment kept its ready pods, but the cluster DNS did not answer (${outage.disruption.message}): requests that needed a fresh lookup of a Service name failed`,
    fix: 'reuse connections to the Services your pods call (HTTP keep-alive or a connection pool) and cache lookups on the nodes (NodeLocal DNSCache), so a DNS outage fails new names only, not every request',
  };
}

/** The Deployments whose pods these are ("ns/backend-5c97bfdfb9-nt9gb": a ReplicaSet's pod of backend), in the facts' order. */
export function deploymentsOf(pods: string[], f: WindowFacts): V1Deployment[] {
  const names = pods.map((p) => p.split('/').pop() ?? '');
  return f.deployments.filter((d) => names.some((n) => /^[a-z0-9]+-[a-z0-9]+$/.test(n.slice((d.metadata?.name ?? '').length + 1)) && n.startsWith(`${d.metadata?.name}-`)));
}

const refs = (deployments: V1Deployment[], f: WindowFacts) => (deployments.length ? deployments.map((d) => deploymentRef(d, f.namespace)).join(' and ') : undefined);

/**
 * The window's fault pressed the stack's own pods where they serve: packets
 * of theirs dropped, or a burner in their containers (or beside them on
 * their nodes). With no cause in the workloads found first, the fault is the
 * cause, and the fix is what makes a stack ride it out.
 */
function pressedPods(f: WindowFacts): Explanation | undefined {
  for (const { faultType, disruption: d } of f.impacts) {
    const hit = refs(deploymentsOf(('pods' in d && d.pods) || [], f), f);
    if (faultType === 'packet-loss' && d.kind === 'traffic-degraded') {
      return {
        cause: `the fault was ${d.message}${hit ? ` (${hit})` : ''}: a request whose packets were lost waited for its retransmission or its timeout, or failed`,
        fix: `give the calls${hit ? ` to ${hit}` : ''} a short per-try timeout and a retry for idempotent requests, so one lost packet costs a retry rather than the request`,
      };
    }
    if (d.kind === 'resources-pressed' && d.resource === 'memory') {
      return {
        cause: `the fault held ${d.amount} inside ${hit ?? d.pods?.join(', ') ?? 'the pods'}, past their memory limit: the kernel OOM-killed their containers, and each served nothing until it restarted and was Ready again`,
        fix: `keep the memory use of ${hit ?? 'the pods'} under resources.limits.memory (raise it above the peak use, or find the growth), and run replicas enough that some serve while others restart`,
      };
    }
    if (d.kind === 'resources-pressed' && d.pods?.length) {
      return {
        cause: `the fault ran ${d.amount} inside the containers of ${hit ?? 'the pods'}, sharing their CPU limit: the servers were throttled, and requests waited for CPU`,
        fix: `raise resources.limits.cpu of ${hit ?? 'the pods'} (or drop it: requests.cpu already reserves their share), so a burst in the container is not throttled into latency, and let an HPA add replicas on CPU`,
      };
    }
    if (d.kind === 'resources-pressed') {
      return {
        cause: `the fault ran ${d.message}: the pods there got only the CPU their requests reserve, and requests waited for the rest`,
        fix: "set resources.requests.cpu of the stack's containers to what they use under load: the kernel gives each container CPU in proportion to its request when a node is busy",
      };
    }
  }
  return undefined;
}

function unbudgeted(deployment: V1Deployment, s: Shortage, f: WindowFacts): Explanation {
  const lacking = noBudget(deployment, f.namespace);
  return { ...lacking, cause: `${lacking.cause}, so nothing held the evictions back: ${when(s, f.window)} it had ${s.lowest} of ${s.desired} ready` };
}

/** Already made to spread across nodes: the nodes at hand, not the Deployment, put them together. */
const mustSpread = (spec: V1PodSpec | undefined) =>
  (spec?.topologySpreadConstraints ?? []).some((c) => c.topologyKey === HOSTNAME && c.whenUnsatisfiable === 'DoNotSchedule') ||
  (spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((t) => t.topologyKey === HOSTNAME);

function spreadFix(deployment: V1Deployment, namespace: string): string | undefined {
  const spec = deployment.spec?.template?.spec;
  const ref = deploymentRef(deployment, namespace);
  if (mustSpread(spec)) return undefined;
  if (spec?.topologySpreadConstraints?.some((c) => c.topologyKey === HOSTNAME)) return `set whenUnsatisfiable of the ${HOSTNAME} topologySpreadConstraint in ${ref}'s pod template to DoNotSchedule (ScheduleAnyway let the scheduler put them together)`;
  return `add to ${ref}'s pod template spec.topologySpreadConstraints: [{maxSkew: 1, topologyKey: ${HOSTNAME}, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: ${matchLabelsYaml(budgetLabels(deployment))}}}] (or a podAntiAffinity on ${HOSTNAME})`;
}

function onOneNode(deployment: V1Deployment, sole: { node: string; pods: number }, s: Shortage, f: WindowFacts): Explanation {
  const confined = confinementOf(deployment.spec?.template?.spec);
  // A pin put them there, not the scheduler's choice: spreading cannot help while the pin stands.
  if (confined) {
    return {
      cause: `all ${sole.pods} pods of ${deploymentRef(deployment, f.namespace)} ran on node ${sole.node}, where its ${confined.text} confines them, so the fault on that node left it ${s.lowest} of ${s.desired} ready ${when(s, f.window)}`,
      fix: `relax ${confined.field} of ${deploymentRef(deployment, f.namespace)} (${confined.rule}) so its pods can run on more than one node`,
    };
  }
  const fix = spreadFix(deployment, f.namespace);
  return {
    cause: `all ${sole.pods} pods of ${deploymentRef(deployment, f.namespace)} ran on node ${sole.node} when the window began, so the fault on that node left it ${s.lowest} of ${s.desired} ready ${when(s, f.window)}`,
    ...(fix && { fix }),
  };
}

interface Found {
  /** Which cause: the lower, the more telling. */
  rank: number;
  shortage: Shortage;
  deployment: string;
  explanation: Explanation;
}

/** The first known cause of a deployment's shortage in the window, if it had one. */
function explainDeployment(deployment: V1Deployment, f: WindowFacts): Found | undefined {
  const points = f.ready(deployment.metadata?.name ?? '');
  const none = longest(shortages(points, f.window, (p) => p.ready === 0));
  const low = none ?? longest(shortages(points, f.window, (p) => p.ready * 2 < p.desired));
  if (!low) return undefined;
  const found = (rank: number, shortage: Shortage, explanation: Explanation) => ({ rank, shortage, deployment: deployment.metadata?.name ?? '', explanation });
  if (none && none.desired === 1) return found(0, none, singleReplica(deployment, none, f));
  if (low.desired > 1 && evicted(f.impacts) && !coverageOf(deployment, f.budgets, 1).budget) return found(1, low, unbudgeted(deployment, low, f));
  const zone = none && lostZone(deployment, f.podsAtStart, f.impacts);
  if (none && zone) return found(2, none, inOneZone(deployment, zone, none, f));
  const sole = soleNode(deployment, f.podsAtStart);
  if (none && sole && nodesHit(f.impacts).has(sole.node)) return found(3, none, onOneNode(deployment, sole, none, f));
  return undefined;
}

/**
 * Whether the deployment served fewer pods than it did as the window began
 * (or than it wanted, when it was scaled down). A scale-up still under way
 * is not a loss: ready below a raised spec.replicas is the HPA at work.
 */
export function lostReadyPods(points: ReadyPoint[], window: { start: number; end: number }): boolean {
  const atStart = points.findLast((p) => p.t <= window.start)?.ready;
  if (atStart === undefined) return false;
  return shortages(points, window, (p) => p.ready < Math.min(p.desired, atStart)).length > 0;
}

/** The most telling known cause among the deployments that fell short in the window (ties: the longest shortage); the others counted. */
export function explainWindow(f: WindowFacts): Explanation | undefined {
  const found = f.deployments
    .map((d) => explainDeployment(d, f))
    .filter((x): x is Found => x !== undefined)
    .sort((a, b) => a.rank - b.rank || b.shortage.to - b.shortage.from - (a.shortage.to - a.shortage.from));
  const [first, ...rest] = found;
  if (first)
    return andMore(
      first.explanation,
      rest.map((r) => r.deployment),
    );
  // A DNS outage is blamed only when no workload lost pods (a lost pod may have had its own cause); a fault
  // on the pods themselves is blamed anyway: what they lost, it took.
  const lost = f.deployments.some((d) => lostReadyPods(f.ready(d.metadata?.name ?? ''), f.window));
  return (!lost ? dnsOutage(f) : undefined) ?? pressedPods(f);
}

// When a node reboots, its network agents (the CNI's DaemonSet pod, such as
// kube-router) start over with the node's rules gone, while the kubelet
// already runs the node's pods on the CNI config left on disk. Until the
// agent has programmed its rules again, a CNI can let through what the
// policies deny: seen with kube-router, denied cells into a pod on a worker
// open 27 s into its reboot. That is a real breach, and a different one from
// a policy that allows too much: this module names it as the CNI failing
// open while its agent restarted, so the verdict says which, and a scenario
// can choose to record such cells rather than fail on them.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { isPodReady, readySince } from '../../kube/pods.ts';
import { cellKey, type ReachabilityCell } from '../../netpol/model.ts';
import type { Comparison, WrongCell } from './compare.ts';

/** The namespace network agents run in on every cluster shakedown boots (and on most others). */
const AGENT_NAMESPACE = 'kube-system';

export interface NetworkAgent {
  name: string;
  node: string;
  /** When it last turned Ready; undefined while it is not Ready. */
  readySince?: number;
}

/** An opening seen while a network agent on the node of a pod at either end had just restarted. */
export interface FailOpenCell extends WrongCell {
  node: string;
  agent: string;
  /** How long the agent had been Ready when the probes started; undefined: it was not Ready. */
  agentReadyMs?: number;
}

/** A host-network pod of a DaemonSet: the node's own network plumbing (CNI agent, kube-proxy). */
export function isNetworkAgent(pod: V1Pod): boolean {
  return pod.spec?.hostNetwork === true && (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet') && !!pod.spec.nodeName;
}

export function toNetworkAgent(pod: V1Pod): NetworkAgent {
  const since = isPodReady(pod) ? readySince(pod) : undefined;
  return { name: pod.metadata?.name ?? '', node: pod.spec?.nodeName ?? '', ...(since !== undefined && { readySince: since }) };
}

export async function readNetworkAgents(config: KubeConfig): Promise<NetworkAgent[]> {
  // Loaded here: `validate` reaches this module through the verdict text and never needs the client.
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const pods = await config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: AGENT_NAMESPACE });
  return pods.items.filter(isNetworkAgent).map(toNetworkAgent);
}

/**
 * The youngest agent on each node that was not Ready, or Ready for less than
 * `freshMs`, at `at`: the nodes whose rules may not be in place yet.
 */
export function restartingAgents(agents: NetworkAgent[], freshMs: number, at: number): Map<string, NetworkAgent> {
  const byNode = new Map<string, NetworkAgent>();
  for (const agent of agents) {
    const fresh = agent.readySince === undefined || at - agent.readySince < freshMs;
    if (!fresh) continue;
    const known = byNode.get(agent.node);
    // A not-Ready agent is the youngest of all.
    if (!known || (known.readySince !== undefined && (agent.readySince === undefined || agent.readySince > known.readySince))) byNode.set(agent.node, agent);
  }
  return byNode;
}

/** Wrong cells the live policies do not allow over TCP: where policies drifted, only these can be the CNI's doing. */
export function deniedByLive(wrong: WrongCell[], live: ReachabilityCell[]): WrongCell[] {
  const allowed = new Set(live.filter((c) => c.allowed && c.protocol === 'TCP').map(cellKey));
  return wrong.filter((w) => !allowed.has(cellKey(w)));
}

/** Openings with a pod at either end on a node whose agent was restarting. */
export function failOpenCells(wrong: WrongCell[], nodeOf: (pod: string) => string | undefined, restarting: Map<string, NetworkAgent>, at: number): FailOpenCell[] {
  const cells: FailOpenCell[] = [];
  for (const cell of wrong) {
    if (cell.expected !== 'denied') continue;
    const node = [nodeOf(cell.to), nodeOf(cell.from)].find((n) => n !== undefined && restarting.has(n));
    if (!node) continue;
    const agent = restarting.get(node)!;
    cells.push({ ...cell, node, agent: agent.name, ...(agent.readySince !== undefined && { agentReadyMs: Math.max(0, at - agent.readySince) }) });
  }
  return cells;
}

/**
 * 'fail': the cells stay wrong, and the comparison carries why.
 * 'report': they leave the judged cells and are named beside the verdict.
 */
export function withFailOpen(c: Comparison, cells: FailOpenCell[], mode: 'fail' | 'report'): Comparison {
  if (cells.length === 0) return c;
  if (mode === 'fail') return { ...c, failOpen: { cells, counted: true } };
  const keys = new Set(cells.map((f) => `${f.from}|${f.to}|${f.port}`));
  const wrong = c.wrong.filter((w) => !keys.has(`${w.from}|${w.to}|${w.port}`));
  const moved = c.wrong.length - wrong.length;
  return { ...c, wrong, judged: c.judged - moved, expectedDenied: c.expectedDenied - moved, actualAllowed: c.actualAllowed - moved, failOpen: { cells, counted: false } };
}

/** Which agent restarted on which node, and how fresh it was: "kube-router-x on w1 Ready for 3.2 s". */
export function restartedAgentsText(cells: FailOpenCell[]): string {
  return [...new Map(cells.map((c) => [c.node, c])).values()].map((c) => `${c.agent} on ${c.node} ${c.agentReadyMs === undefined ? 'not Ready yet' : `Ready for ${(c.agentReadyMs / 1000).toFixed(1)} s`}`).join(', ');
}

/** The note a verdict carries: which node, which agent, how fresh, and the choice the scenario has. */
export function failOpenNote(failOpen: { cells: FailOpenCell[]; counted: boolean } | undefined): string {
  if (!failOpen?.cells.length) return '';
  const nodes = restartedAgentsText(failOpen.cells);
  const n = failOpen.cells.length;
  const cells = `${n} denied cell${n === 1 ? '' : 's'}`;
  return failOpen.counted
    ? `; ${cells} of these went through while the node's network agent restarted (${nodes}): the CNI fails open until it restores its rules; set agentRestart: report to record such cells without failing`
    : `; ${cells} went through while the node's network agent restarted (${nodes}): the CNI failed open until it restored its rules (recorded, not counted: agentRestart: report)`;
}

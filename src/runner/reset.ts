// Between a suite's scenarios: prove the cluster is back to a known state,
// and say what was found. The previous runs' ledgers fully reverted, every
// node Ready, no cordon and no taint but the spare's and the control plane's
// own, no probe or stack namespace left. Debris that is shakedown's is
// repaired (a cordon, a shakedown.dev taint, a namespace left behind); what
// is not ours or does not settle in time is a problem, and the suite then
// rebuilds the cluster rather than run the next scenario on unknown ground.
import type { ResetReport } from '../report/suite/outcome.ts';
import type { KubeApi, NamespaceSummary, NodeSummary, Taint } from '../core/kube-api.ts';
import { SPARE_TAINT } from '../core/node-roles.ts';
import { MANAGED_BY_LABEL } from '../stack/namespace.ts';
import { sleep as defaultSleep } from '../core/abort.ts';

const OUR_TAINT_PREFIX = 'shakedown.dev/';
const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';
/** The node controller's mirror of a node's conditions: it goes when the node is Ready and uncordoned. */
const CONDITION_TAINT_PREFIX = 'node.kubernetes.io/';
const PROBE_NAMESPACE_PREFIX = 'shakedown-probe-';

/** What earlier runs' ledgers still hold, and the way `shakedown cleanup` reverts it. */
export interface Leftovers {
  /** One line per revert still pending, naming its run. */
  pending: string[];
  revert(): Promise<{ reverted: string[]; failed: string[] }>;
}

export interface ResetOptions {
  kube: KubeApi;
  leftovers?: Leftovers;
  /** How long nodes may take to come back and namespaces to go. */
  timeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

// The report's shape lives with the suite's result model, which the report renders.
export type { ResetReport };

const isOurNamespace = (ns: NamespaceSummary) => ns.name.startsWith(PROBE_NAMESPACE_PREFIX) || ns.labels[MANAGED_BY_LABEL] === 'shakedown';
const allowedTaint = (t: Taint) => t.key === SPARE_TAINT || t.key === CONTROL_PLANE_TAINT || t.key.startsWith(CONDITION_TAINT_PREFIX);
const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

interface Snapshot {
  notReady: string[];
  cordoned: string[];
  /** Taints of ours that no revert took off. */
  ourTaints: Array<{ node: string; taint: Taint }>;
  /** Taints of someone else's: reported, never removed, and not worth waiting for. */
  foreignTaints: Array<{ node: string; taint: Taint }>;
  activeNamespaces: string[];
  terminatingNamespaces: string[];
}

async function look(kube: KubeApi): Promise<Snapshot> {
  const nodes: NodeSummary[] = await kube.listNodes();
  const namespaces = (await kube.listNamespaces()).filter(isOurNamespace);
  const stray = nodes.flatMap((n) => n.taints.filter((t) => !allowedTaint(t)).map((taint) => ({ node: n.name, taint })));
  return {
    notReady: nodes.filter((n) => !n.ready).map((n) => n.name),
    cordoned: nodes.filter((n) => n.unschedulable).map((n) => n.name),
    ourTaints: stray.filter((s) => s.taint.key.startsWith(OUR_TAINT_PREFIX)),
    foreignTaints: stray.filter((s) => !s.taint.key.startsWith(OUR_TAINT_PREFIX)),
    activeNamespaces: namespaces.filter((n) => !n.terminating).map((n) => n.name),
    terminatingNamespaces: namespaces.filter((n) => n.terminating).map((n) => n.name),
  };
}

/** Nothing left that repairing or waiting could still change. */
const settled = (s: Snapshot) => !s.notReady.length && !s.cordoned.length && !s.ourTaints.length && !s.activeNamespaces.length && !s.terminatingNamespaces.length;

export async function resetCluster(options: ResetOptions): Promise<ResetReport> {
  const { kube } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const started = now();
  const deadline = started + (options.timeoutMs ?? 180_000);
  const report: ResetReport = { clean: false, found: [], repaired: [], waited: [], problems: [], tookMs: 0 };
  const finish = () => ({ ...report, clean: report.problems.length === 0, tookMs: now() - started });

  // The ledgers first: their reverts uncordon, untaint and restart nodes, which the checks below then see.
  if (options.leftovers?.pending.length) {
    report.found.push(...options.leftovers.pending.map((p) => `left applied: ${p}`));
    const { reverted, failed } = await options.leftovers.revert();
    report.repaired.push(...reverted.map((r) => `reverted: ${r}`));
    report.problems.push(...failed.map((f) => `revert failed: ${f}`));
  }

  const seen = new Set<string>();
  /** Records a finding once, however many polls see it. */
  const note = (list: string[], line: string) => {
    if (seen.has(line)) return;
    seen.add(line);
    list.push(line);
  };
  const firstSeen = new Map<string, number>();
  let snapshot = await look(kube);
  for (;;) {
    for (const node of snapshot.cordoned) {
      note(report.found, `node ${node} left cordoned`);
      await kube.setUnschedulable(node, false);
      note(report.repaired, `uncordoned ${node}`);
    }
    for (const { node, taint } of snapshot.ourTaints) {
      note(report.found, `node ${node} left tainted ${taintText(taint)}`);
      await kube.removeTaint(node, taint.key, taint.effect);
      note(report.repaired, `removed taint ${taint.key} from ${node}`);
    }
    for (const name of snapshot.activeNamespaces) {
      note(report.found, `namespace ${name} left behind`);
      await kube.deleteNamespace(name);
      note(report.repaired, `deleted namespace ${name}`);
    }
    for (const name of snapshot.notReady) if (!firstSeen.has(`node ${name}`)) firstSeen.set(`node ${name}`, now());
    for (const name of snapshot.terminatingNamespaces) if (!firstSeen.has(`namespace ${name}`)) firstSeen.set(`namespace ${name}`, now());

    snapshot = await look(kube);
    // What was being waited out and is now done: said once, with how long it took.
    for (const [what, since] of firstSeen) {
      const node = what.startsWith('node ') ? what.slice(5) : undefined;
      const stillThere = node ? snapshot.notReady.includes(node) : [...snapshot.terminatingNamespaces, ...snapshot.activeNamespaces].includes(what.slice(10));
      if (stillThere) continue;
      report.waited.push(`${what} ${node ? 'Ready again' : 'gone'} after ${((now() - since) / 1000).toFixed(0)} s`);
      firstSeen.delete(what);
    }
    if (settled(snapshot) || now() >= deadline || options.signal?.aborted) {
      for (const name of snapshot.notReady) report.problems.push(`node ${name} not Ready after ${((now() - started) / 1000).toFixed(0)} s`);
      for (const name of snapshot.cordoned) report.problems.push(`node ${name} still cordoned`);
      for (const { node, taint } of snapshot.ourTaints) report.problems.push(`node ${node} still tainted ${taintText(taint)}`);
      for (const { node, taint } of snapshot.foreignTaints) report.problems.push(`node ${node} has taint ${taintText(taint)}, which is not shakedown's: left as it is`);
      for (const name of [...snapshot.activeNamespaces, ...snapshot.terminatingNamespaces]) report.problems.push(`namespace ${name} still there`);
      return finish();
    }
    await sleep(options.pollMs ?? 2_000, options.signal);
  }
}

/** The report in a line or a few, for the suite's log. */
export function describeReset(report: ResetReport): string {
  const parts = [
    report.found.length ? `found ${report.found.join('; ')}` : 'found nothing left behind',
    ...(report.repaired.length ? [`did: ${report.repaired.join('; ')}`] : []),
    ...(report.waited.length ? [`waited: ${report.waited.join('; ')}`] : []),
    ...(report.problems.length ? [`still wrong: ${report.problems.join('; ')}`] : []),
  ];
  return `reset in ${(report.tookMs / 1000).toFixed(1)} s: ${parts.join('. ')}`;
}

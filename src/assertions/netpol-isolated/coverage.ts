// How much of the matrix a window actually judged. Unknown cells are never
// judged, so a measurement that reached almost nothing would agree with the
// policies on the little it saw: during a node reboot one judged 12 of 132
// cells and passed. Coverage counts the cells judged of those expected, and
// names every pod that was Ready on a node that was up yet never probed as a
// destination; a window short of either fails. Pure.
import { cellKey, type ReachabilityCell } from '../../netpol/model.ts';
import type { ProbeCell, ProbeTarget } from '../../netpol/probe.ts';

/** What the prober and the API said of nodes during one measurement. */
export interface NodeEvidence {
  /** Down when the cluster was read (NotReady, or stopped or cut off by a fault). */
  down?: ReadonlySet<string>;
  /** No exec there got any answer. */
  unreachable?: ReadonlySet<string>;
  /** Some exec there failed: denials into pods there were made unknown. */
  failing?: ReadonlySet<string>;
}

/** What one measurement covered: counts for cells, names only for pods (a window keeps many of these). */
export interface MeasurementCoverage {
  /** Cells owed a verdict: probed or meant to be (the destination declares the port), not self, with an expectation. */
  expected: number;
  /** Of those, the ones judged (not unknown). */
  judged: number;
  /** Destinations that were Ready on a node not down when read, each with its node. */
  owed: Map<string, string | undefined>;
  /** Destinations with at least one judged cell. */
  probed: Set<string>;
  /** Owed destinations not probed: the most frequent reason their cells were unknown. */
  why: Map<string, string>;
  nodes: { down: Set<string>; unreachable: Set<string>; failing: Set<string> };
}

export interface WindowCoverage {
  measurements: number;
  /**
   * Cells judged, of cells expected, summed over the measurements: a probe
   * during the fault that reached little counts against the window even if
   * another reached everything.
   */
  judged: number;
  expected: number;
  /** Destinations owed in some measurement and probed in none, with the reason. */
  unprobed: Array<{ pod: string; why: string }>;
  /** Destinations not probed but not held against the window: their node was gone for the prober. */
  excused: Array<{ pod: string; node: string; why: string }>;
  /** The thinnest single measurement. */
  lowest: { judged: number; expected: number };
}

export interface CoverageVerdict {
  ok: boolean;
  /** "judged 120 of 132 cells (91%); every Ready pod probed as a destination" */
  text: string;
  /** Ready pods never probed as a destination, with the reason. */
  unprobed: WindowCoverage['unprobed'];
  details: Record<string, unknown>;
}

/** Pods named in a message before "and N more". */
const NAMED_PODS = 5;

const podKey = (t: Pick<ProbeTarget, 'namespace' | 'name'>) => `${t.namespace}/${t.name}`;

/** One measurement's coverage, from the same cells compare() judges. */
export function measurementCoverage(expected: ReachabilityCell[], actual: ProbeCell[], targets: ProbeTarget[], nodes: NodeEvidence = {}): MeasurementCoverage {
  const want = new Set(expected.filter((c) => c.protocol === 'TCP').map(cellKey));
  const byKey = new Map(targets.map((t) => [podKey(t), t]));
  const out: MeasurementCoverage = {
    expected: 0,
    judged: 0,
    owed: new Map(),
    probed: new Set(),
    why: new Map(),
    nodes: { down: new Set(nodes.down), unreachable: new Set(nodes.unreachable), failing: new Set(nodes.failing) },
  };
  const reasons = new Map<string, Map<string, number>>();
  for (const cell of actual) {
    if (cell.from === cell.to || !want.has(cellKey(cell))) continue;
    out.expected++;
    const to = byKey.get(cell.to);
    if (to && !to.unusable) out.owed.set(cell.to, to.node);
    if (cell.result === 'unknown') {
      const counts = reasons.get(cell.to) ?? new Map<string, number>();
      const text = cell.detail ?? 'probe did not run';
      counts.set(text, (counts.get(text) ?? 0) + 1);
      reasons.set(cell.to, counts);
    } else {
      out.judged++;
      out.probed.add(cell.to);
    }
  }
  for (const pod of out.owed.keys()) {
    if (out.probed.has(pod)) continue;
    const counts = [...(reasons.get(pod) ?? [])].sort((a, b) => b[1] - a[1]);
    out.why.set(pod, counts[0]?.[0] ?? 'never probed');
  }
  return out;
}

/**
 * The window's coverage over its measurements: cells summed, a pod probed
 * once is probed. A Ready pod left unprobed is excused where its node was
 * gone for the prober: no exec there got an answer, or execs there failed
 * on a node a fault took down in this window (going down before the fault
 * said so, or coming back with its containers restarting). `after` (the
 * measurement at judge time) only helps tell which nodes were taken down.
 */
export function windowCoverage(measurements: MeasurementCoverage[], after?: MeasurementCoverage): WindowCoverage {
  let expected = 0;
  let judged = 0;
  const probed = new Set<string>();
  const disrupted = new Set<string>();
  for (const m of [...measurements, ...(after ? [after] : [])]) for (const n of m.nodes.down) disrupted.add(n);
  const owed = new Map<string, string>();
  const excused = new Map<string, { node: string; why: string }>();
  let lowest: WindowCoverage['lowest'] | undefined;
  for (const m of measurements) {
    expected += m.expected;
    judged += m.judged;
    for (const p of m.probed) probed.add(p);
    for (const [pod, node] of m.owed) {
      if (m.probed.has(pod)) continue;
      const gone = node === undefined ? undefined : m.nodes.unreachable.has(node) ? 'no exec there got an answer' : m.nodes.failing.has(node) && disrupted.has(node) ? 'execs there failed, and a fault took it down in this window' : undefined;
      // The latest reason wins: it says why the pod stayed unprobed until the end.
      if (gone) excused.set(pod, { node: node!, why: gone });
      else owed.set(pod, m.why.get(pod) ?? 'never probed');
    }
    if (!lowest || share(m.judged, m.expected) < share(lowest.judged, lowest.expected)) lowest = { judged: m.judged, expected: m.expected };
  }
  return {
    measurements: measurements.length,
    judged,
    expected,
    unprobed: [...owed]
      .filter(([p]) => !probed.has(p))
      .map(([pod, why]) => ({ pod, why }))
      .sort((a, b) => (a.pod < b.pod ? -1 : 1)),
    excused: [...excused]
      .filter(([p]) => !owed.has(p) && !probed.has(p))
      .map(([pod, e]) => ({ pod, ...e }))
      .sort((a, b) => (a.pod < b.pod ? -1 : 1)),
    lowest: lowest ?? { judged: 0, expected: 0 },
  };
}

const share = (judged: number, expected: number) => (expected === 0 ? 1 : judged / expected);
/** Rounded, but never 100% while a cell is missing. */
const percent = (judged: number, expected: number) => (judged >= expected ? 100 : Math.min(99, Math.round((judged / expected) * 100)));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Whether the window judged enough: every owed destination probed at least
 * once, and (with `minCoverage`) at least that share of the cells judged.
 */
export function judgeCoverage(w: WindowCoverage, minCoverage?: number): CoverageVerdict {
  const shareOk = minCoverage === undefined || share(w.judged, w.expected) >= minCoverage;
  const across = w.measurements > 1 ? ` over ${w.measurements} probes` : '';
  const parts = [`judged ${w.judged} of ${w.expected} cells (${percent(w.judged, w.expected)}%)${across}${shareOk ? '' : `, below minCoverage ${Math.round(minCoverage! * 100)}%`}`];
  if (w.unprobed.length === 0) parts.push('every Ready pod probed as a destination');
  else {
    const named = w.unprobed
      .slice(0, NAMED_PODS)
      .map((u) => `${u.pod} (${u.why})`)
      .join(', ');
    const more = w.unprobed.length > NAMED_PODS ? `, and ${w.unprobed.length - NAMED_PODS} more` : '';
    parts.push(`${plural(w.unprobed.length, 'Ready pod')} never probed as a destination: ${named}${more}`);
  }
  const byNode = new Map<string, { pods: number; why: string }>();
  for (const e of w.excused) byNode.set(e.node, { pods: (byNode.get(e.node)?.pods ?? 0) + 1, why: e.why });
  for (const [node, { pods, why }] of [...byNode].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    parts.push(`${plural(pods, 'pod')} on node ${node} not counted (${why})`);
  }
  return {
    ok: shareOk && w.unprobed.length === 0,
    text: parts.join('; '),
    unprobed: w.unprobed,
    details: {
      judged: w.judged,
      expected: w.expected,
      share: Math.round(share(w.judged, w.expected) * 1000) / 1000,
      measurements: w.measurements,
      lowest: w.lowest,
      ...(minCoverage !== undefined && { minCoverage }),
      ...(w.unprobed.length && { unprobed: w.unprobed }),
      ...(w.excused.length && { excused: w.excused }),
    },
  };
}

// Expected (engine) against actual (probes), cell by cell, and the verdict in
// a person's words. Pure: the unit tests drive it with made-up matrices.
import type { ReachabilityCell } from '../../netpol/model.ts';
import { cellKey } from '../../netpol/model.ts';
import type { ProbeCell } from '../../netpol/probe.ts';
import type { Outcome } from '../types.ts';
import type { CoverageVerdict } from './coverage.ts';
import { failOpenNote, type FailOpenCell } from './agent-restart.ts';

export interface WrongCell {
  from: string;
  to: string;
  port: number;
  /** What the policies say. */
  expected: 'allowed' | 'denied';
  actual: 'allowed' | 'denied';
  /** The engine's reason for its expectation. */
  reason?: string;
  /** What the probe said. */
  detail?: string;
}

/** A blocked cell that came right while its pod was fresh. */
export interface SettledCell {
  from: string;
  to: string;
  port: number;
  /** From the younger pod turning Ready (or its node coming back, when later) to the probe that got through. */
  afterReadyMs: number;
  /** What made the cell fresh: a pod turning Ready, or a pod's node back from a fault. */
  after?: 'ready' | 'node-back';
}

export interface Comparison {
  /** Cells judged: probed, not self, not unknown. */
  judged: number;
  right: number;
  wrong: WrongCell[];
  unknown: number;
  /** Why cells were unknown, most frequent first, with counts. */
  unknownWhy: Array<{ why: string; cells: number }>;
  expectedAllowed: number;
  actualAllowed: number;
  /** Judged cells the policies deny. */
  expectedDenied: number;
  /** Allowed cells that were blocked at first and went through once their fresh pod's rules were programmed (settle.ts). */
  settled?: SettledCell[];
  /** Openings seen while a network agent on a pod's node restarted (agent-restart.ts); counted: still among `wrong`. */
  failOpen?: { cells: FailOpenCell[]; counted: boolean };
}

/** Fewer denied cells than this and "nothing is enforced" is not a safe conclusion. */
export const MIN_DENIED_FOR_NO_ENFORCEMENT = 3;
/** Wrong cells named in a message before "and N more". */
export const NAMED_CELLS = 5;

/** Only probed cells are judged (self cells and undeclared ports never are); TCP only: the agent connects over TCP. */
export function compare(expected: ReachabilityCell[], actual: ProbeCell[]): Comparison {
  const want = new Map(expected.filter((c) => c.protocol === 'TCP').map((c) => [cellKey(c), c]));
  const result: Comparison = { judged: 0, right: 0, wrong: [], unknown: 0, unknownWhy: [], expectedAllowed: 0, actualAllowed: 0, expectedDenied: 0 };
  const why = new Map<string, number>();
  for (const cell of actual) {
    const expectation = want.get(cellKey(cell));
    if (!expectation || cell.from === cell.to) continue;
    if (cell.result === 'unknown') {
      result.unknown++;
      const text = cell.detail ?? 'probe did not run';
      why.set(text, (why.get(text) ?? 0) + 1);
      continue;
    }
    result.judged++;
    const allowed = cell.result === 'allowed';
    if (expectation.allowed) result.expectedAllowed++;
    else result.expectedDenied++;
    if (allowed) result.actualAllowed++;
    if (allowed === expectation.allowed) {
      result.right++;
    } else {
      result.wrong.push({
        from: cell.from,
        to: cell.to,
        port: cell.port,
        expected: expectation.allowed ? 'allowed' : 'denied',
        actual: cell.result,
        ...(expectation.reason && { reason: expectation.reason }),
        ...(cell.detail && { detail: cell.detail }),
      });
    }
  }
  // Openings first: a denied cell that is reachable is the isolation breach.
  result.wrong.sort((a, b) => (a.expected !== b.expected ? (a.expected === 'denied' ? -1 : 1) : cellKey(a) < cellKey(b) ? -1 : 1));
  result.unknownWhy = [...why].map(([w, cells]) => ({ why: w, cells })).sort((a, b) => b.cells - a.cells);
  return result;
}

/**
 * Blocked cells that a fault's packet loss may explain (a pod at either end
 * whose traffic is being dropped) are unknown, not wrong: a refused connect
 * there proves nothing about the policies. Openings stay wrong: dropping
 * packets never lets one through.
 */
export function lossyBlocksUnknown(c: Comparison, lossy: (pod: string) => boolean, why: string): Comparison {
  const moved = c.wrong.filter((w) => w.expected === 'allowed' && (lossy(w.from) || lossy(w.to)));
  if (moved.length === 0) return c;
  const unknownWhy = [...c.unknownWhy, { why, cells: moved.length }].sort((a, b) => b.cells - a.cells);
  return { ...c, wrong: c.wrong.filter((w) => !moved.includes(w)), judged: c.judged - moved.length, expectedAllowed: c.expectedAllowed - moved.length, unknown: c.unknown + moved.length, unknownWhy };
}

/** Every cell the policies deny was reachable, and there were enough of them to say so. */
export function enforcesNothing(c: Comparison): boolean {
  const openedDenied = c.wrong.filter((w) => w.expected === 'denied').length;
  return c.expectedDenied >= MIN_DENIED_FOR_NO_ENFORCEMENT && openedDenied === c.expectedDenied;
}

/** Which of two comparisons is the worse one to report for a window. */
export function worse(a: Comparison, b: Comparison): Comparison {
  if (a.wrong.length !== b.wrong.length) return a.wrong.length > b.wrong.length ? a : b;
  // A recorded fail-open is worth reporting over a quieter measurement.
  const failOpenA = a.failOpen?.cells.length ?? 0;
  const failOpenB = b.failOpen?.cells.length ?? 0;
  if (failOpenA !== failOpenB) return failOpenA > failOpenB ? a : b;
  return a.unknown >= b.unknown ? a : b;
}

/** Blocks that lasted only while a pod was fresh: the CNI's programming lag, a figure worth seeing. */
function settledNote(settled: SettledCell[] | undefined): string {
  if (!settled?.length) return '';
  const slowest = settled.reduce((a, b) => (b.afterReadyMs > a.afterReadyMs ? b : a));
  const since = slowest.after === 'node-back' ? 'its node came back from the fault' : 'it turned Ready';
  return `; ${settled.length} allowed cell${settled.length === 1 ? ' was' : 's were'} blocked until the CNI programmed a fresh pod (open ${(slowest.afterReadyMs / 1000).toFixed(1)} s after ${since} at the latest)`;
}

function describeCell(w: WrongCell): string {
  const said = w.expected === 'denied' ? 'allowed but policy denies' : `denied but policy allows${w.detail ? ` (${w.detail})` : ''}`;
  return `${w.from} -> ${w.to}:${w.port} ${said}`;
}

/**
 * `drift`: NetworkPolicies changed since the set the cells were judged against.
 * `coverage`: how much of the matrix was judged; short of it, the verdict fails.
 */
export function verdict(c: Comparison, when = '', drift: string[] = [], coverage?: CoverageVerdict): Outcome {
  const total = c.judged;
  const coverageNote = coverage ? `; ${coverage.text}` : '';
  const otherNotes =
    (c.unknown
      ? `; ${c.unknown} cell${c.unknown === 1 ? '' : 's'} unknown, not judged (${c.unknownWhy
          .slice(0, 2)
          .map((u) => `${u.why}: ${u.cells}`)
          .join('; ')}${c.unknownWhy.length > 2 ? '; ...' : ''})`
      : '') +
    settledNote(c.settled) +
    failOpenNote(c.failOpen) +
    (drift.length ? `; NetworkPolicies changed since the steady state (judged against that set): ${drift.join(', ')}` : '');
  const notes = coverageNote + otherNotes;
  const details = {
    expectedAllowed: c.expectedAllowed,
    actualAllowed: c.actualAllowed,
    wrong: c.wrong,
    right: c.right,
    unknown: c.unknown,
    ...(c.unknown && { unknownWhy: c.unknownWhy }),
    ...(c.settled?.length && { settled: c.settled }),
    ...(c.failOpen && { failOpen: c.failOpen }),
    ...(drift.length && { policyDrift: drift }),
    ...(coverage && { coverage: coverage.details }),
  };
  const prefix = when ? `${when}: ` : '';
  if (total === 0) {
    return { status: 'failed', message: `${prefix}no cell could be probed, so isolation was not checked${notes}`, details };
  }
  if (c.wrong.length === 0 && coverage && !coverage.ok) {
    // What was judged agreed, but too little was judged to say isolation held.
    return { status: 'failed', message: `${prefix}too little probed to vouch for isolation: ${coverage.text}; the ${total} judged cells are as the policies say (${c.expectedAllowed} allowed, ${c.expectedDenied} denied)${otherNotes}`, details };
  }
  if (c.wrong.length === 0) {
    return { status: 'passed', message: `${prefix}all ${total} cells as the policies say (${c.expectedAllowed} allowed, ${c.expectedDenied} denied)${notes}`, details };
  }
  if (enforcesNothing(c)) {
    const others = c.wrong.filter((w) => w.expected === 'allowed');
    const also = others.length ? `; also ${others.length} allowed cell${others.length === 1 ? '' : 's'} denied: ${others.slice(0, NAMED_CELLS).map(describeCell).join('; ')}` : '';
    return { status: 'failed', message: `${prefix}the CNI enforces no NetworkPolicy: all ${c.expectedDenied} cells that policies deny were reachable${also}${notes}`, details };
  }
  const named = c.wrong.slice(0, NAMED_CELLS).map(describeCell).join('; ');
  const more = c.wrong.length > NAMED_CELLS ? `; and ${c.wrong.length - NAMED_CELLS} more` : '';
  return { status: 'failed', message: `${prefix}${c.wrong.length} of ${total} cells wrong: ${named}${more}${notes}`, details };
}

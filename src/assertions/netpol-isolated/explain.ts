// Why the probes disagreed with the policies, where the evidence says so.
// Three kinds of failure are kept apart, each named as such: the live
// policies differ from the contract (drift: a policy added, edited or
// removed flips the cells), the CNI let through what the policies deny (it
// enforces none, or failed open while its agent restarted), and the CNI
// refused what the policies allow. A wrong cell none of these accounts for
// leaves the explanation out. Pure.
import type { Explanation } from '../../core/result.ts';
import { cellKey } from '../../netpol/model.ts';
import type { Outcome } from '../types.ts';
import { restartedAgentsText, type FailOpenCell } from './agent-restart.ts';
import { enforcesNothing, type Comparison, type WrongCell } from './compare.ts';
import type { CoverageVerdict } from './coverage.ts';
import type { DriftEffect } from './drift.ts';
import { peerFields, policyEffect } from './policy-text.ts';

export interface IsolationEvidence {
  comparison: Comparison;
  /** What each NetworkPolicy change since the contract flips (drift.ts). */
  drift: DriftEffect[];
  coverage?: CoverageVerdict;
  /** Which policies the expectation came from: the stack's manifests, or those read at steady state. */
  contract: 'declared' | 'steady-state';
}

/** Cells named in a cause before "and N more". */
const NAMED = 3;

/** The verdict with its cause, when it failed and the cause is known. */
export function explained(outcome: Outcome, evidence: IsolationEvidence): Outcome {
  const explanation = outcome.status === 'failed' ? explainIsolation(evidence) : undefined;
  return explanation ? { ...outcome, explanation } : outcome;
}

export function explainIsolation(e: IsolationEvidence): Explanation | undefined {
  const { wrong } = e.comparison;
  if (wrong.length === 0) return explainUnprobed(e);
  const openings = wrong.filter((w) => w.expected === 'denied');
  const blocks = wrong.filter((w) => w.expected === 'allowed');
  const parts = [...(openings.length ? [explainOpenings(e, openings)] : []), ...(blocks.length ? [explainBlocks(e, blocks)] : [])];
  // Openings or blocks left unexplained: the cause is not known.
  return parts.every((p) => p !== undefined) ? joined(parts) : undefined;
}

function explainOpenings(e: IsolationEvidence, openings: WrongCell[]): Explanation | undefined {
  const drift = driftCause(e, openings, 'opens');
  const failOpen = e.comparison.failOpen?.counted ? e.comparison.failOpen.cells : [];
  const failOpenKeys = new Set(failOpen.map(cellKey));
  const rest = openings.filter((w) => !drift?.cells.has(cellKey(w)) && !failOpenKeys.has(cellKey(w)));
  if (rest.length === 0) return joined([drift?.explanation, failOpen.length ? failedOpen(failOpen) : undefined]);
  return enforcesNothing(e.comparison) ? noEnforcement(e.comparison) : undefined;
}

function explainBlocks(e: IsolationEvidence, blocks: WrongCell[]): Explanation | undefined {
  const drift = driftCause(e, blocks, 'closes');
  const rest = blocks.filter((w) => !drift?.cells.has(cellKey(w)));
  if (rest.length === 0) return drift?.explanation;
  // Only a block a policy vouches for is the CNI's: with no policy on either side, something else may stand in the way.
  if (!rest.every((w) => allowingPolicies(w.reason).length)) return undefined;
  return joined([drift?.explanation, refused(rest)]);
}

function noEnforcement(c: Comparison): Explanation {
  return {
    cause: `the CNI let through what the policies deny: all ${c.expectedDenied} cells the NetworkPolicies deny were reachable, so the cluster's CNI enforces no NetworkPolicy`,
    fix: 'run a CNI that enforces NetworkPolicy: cluster.cni: kube-router for kind here; calico or cilium elsewhere',
  };
}

function failedOpen(cells: FailOpenCell[]): Explanation {
  return {
    cause: `the CNI let through what the policies deny while its network agent restarted (${restartedAgentsText(cells)}): ${cellsText(cells)}; it fails open until it has restored its rules`,
    fix: 'set agentRestart: report on this assertion to record such windows, or use a CNI that keeps its rules across restarts',
  };
}

function refused(blocks: WrongCell[]): Explanation {
  const named = blocks.slice(0, NAMED).map((w) => `${w.from} -> ${w.to}:${w.port} (allowed by ${allowingPolicies(w.reason).join(', ')})`);
  return { cause: `the CNI refused connections the policies allow: ${named.join('; ')}${more(blocks)}` };
}

/** The policies the engine says allow a cell: "egress: allowed by a/x; ingress: allowed by a/y, a/z". */
function allowingPolicies(reason: string | undefined): string[] {
  return [...(reason ?? '').matchAll(/allowed by ([^;\]]+)/g)].flatMap((m) => m[1]!.split(', ').map((k) => k.trim()));
}

/** The drift changes that flip these cells, and the cells they account for. */
function driftCause(e: IsolationEvidence, cells: WrongCell[], flip: 'opens' | 'closes'): { explanation: Explanation; cells: Set<string> } | undefined {
  const keys = new Set(cells.map(cellKey));
  const changes = e.drift.map((d) => ({ change: d, flips: [...d[flip]].filter((k) => keys.has(k)) })).filter((x) => x.flips.length);
  if (changes.length === 0) return undefined;
  const kind = flip === 'opens' ? `the live NetworkPolicies let through what the ${e.contract} ones deny` : `the live NetworkPolicies deny what the ${e.contract} ones allow`;
  const effect = (n: number) => (flip === 'opens' ? `letting through ${n} probed cell${n === 1 ? '' : 's'} the ${e.contract} policies deny` : `refusing ${n} probed cell${n === 1 ? '' : 's'} the ${e.contract} policies allow`);
  return {
    cells: new Set(changes.flatMap((x) => x.flips)),
    explanation: {
      cause: `${kind}: ${changes.map((x) => `${changeText(x.change, e.contract)}, ${effect(x.flips.length)}`).join('; ')}`,
      fix: changes.map((x) => changeFix(x.change, e.contract, flip)).join('; '),
    },
  };
}

function changeText(d: DriftEffect, contract: IsolationEvidence['contract']): string {
  if (d.change === 'removed') return `NetworkPolicy ${d.key} of the ${contract} set is gone from the cluster`;
  const which = d.change === 'added' ? `not in the ${contract} set` : `changed since the ${contract} set`;
  return `NetworkPolicy ${d.key} (${which}) ${policyEffect(d.now!)}`;
}

function changeFix(d: DriftEffect, contract: IsolationEvidence['contract'], flip: 'opens' | 'closes'): string {
  const original = contract === 'declared' ? "from the stack's manifests" : 'as it was at steady state';
  if (d.change === 'removed') return `re-create NetworkPolicy ${d.key} ${original}`;
  if (d.change === 'changed') return `restore the spec of NetworkPolicy ${d.key} ${original}`;
  return flip === 'opens' ? `delete NetworkPolicy ${d.key}, or narrow its ${peerFields(d.now!)} to the peers the design allows` : `delete NetworkPolicy ${d.key}, or add to its ${peerFields(d.now!)} the peers the design allows`;
}

/** Nothing judged wrong, yet the verdict failed: too little was probed. Why, from the probes' own reasons. */
function explainUnprobed(e: IsolationEvidence): Explanation | undefined {
  const c = e.comparison;
  if (c.judged === 0 && c.unknownWhy.length) {
    return { cause: `no cell could be probed: ${c.unknownWhy.map((u) => `${u.why} (${u.cells} cell${u.cells === 1 ? '' : 's'})`).join('; ')}` };
  }
  const unprobed = e.coverage && !e.coverage.ok ? e.coverage.unprobed : [];
  if (unprobed.length === 0) return undefined;
  const byWhy = new Map<string, string[]>();
  for (const u of unprobed) byWhy.set(u.why, [...(byWhy.get(u.why) ?? []), u.pod]);
  const n = unprobed.length;
  return { cause: `${n} Ready pod${n === 1 ? ' was' : 's were'} never probed as a destination: ${[...byWhy].map(([why, pods]) => `${pods.join(', ')} (${why})`).join('; ')}` };
}

function cellsText(cells: Array<{ from: string; to: string; port: number }>): string {
  return `${cells
    .slice(0, NAMED)
    .map((w) => `${w.from} -> ${w.to}:${w.port}`)
    .join('; ')}${more(cells)}`;
}

function more(cells: unknown[]): string {
  return cells.length > NAMED ? `; and ${cells.length - NAMED} more` : '';
}

function joined(parts: Array<Explanation | undefined>): Explanation | undefined {
  const found = parts.filter((p): p is Explanation => !!p);
  if (found.length <= 1) return found[0];
  const fixes = found.flatMap((p) => (p.fix ? [p.fix] : []));
  return { cause: found.map((p) => p.cause).join('; '), ...(fixes.length && { fix: fixes.join('; ') }) };
}

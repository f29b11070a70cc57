// A CNI programs a pod's rules shortly after the pod turns Ready: kube-router
// adds a new pod's IP to its peers' ipsets on its next sync, and after a node
// reboot its agent there starts over. Until then an allowed connection to or
// from that pod is refused (seen in CI: 2 cells into a pod 13 s after its
// node came back). Upstream's NetworkPolicy e2e re-probes for the same
// reason. So a blocked cell with a freshly Ready pod at either end is probed
// again until it is right or the pod has been Ready for `settleMs`; only then
// does it count. A node cut off or stopped by a fault is the same case: its
// agent could not see the API, so pods created meanwhile (a replacement on
// another node) are programmed there only after it is back (seen in CI: a
// frontend on a healed node refused a backend created during the partition,
// 19 s after the heal). Openings never wait: a connection the policies deny that
// goes through is a breach however briefly it lasts.
import { sleep as defaultSleep } from '../../core/abort.ts';
import { cellKey } from '../../netpol/model.ts';
import type { ProbeCell } from '../../netpol/probe.ts';
import type { Comparison, SettledCell, WrongCell } from './compare.ts';

export interface SettleOptions {
  settleMs: number;
  /** When a pod (namespace/name) last turned Ready; undefined when unknown. */
  readySince: (pod: string) => number | undefined;
  /** When the node a pod runs on last came back from a fault (stopped, or cut off); undefined when it never went. */
  nodeBackSince?: (pod: string) => number | undefined;
  /** Probes just these cells again. */
  reprobe: (cells: Set<string>) => Promise<ProbeCell[]>;
  /** Between re-probes. */
  waitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Fresh {
  since: number;
  until: number;
  after: SettledCell['after'];
}

/** Blocked cells with an end fresher than settleMs (a pod just Ready, or on a node just back): cell key -> since when, until when the cell may stay blocked, and which it was. */
export function freshBlocks(wrong: WrongCell[], options: Pick<SettleOptions, 'readySince' | 'nodeBackSince' | 'settleMs'>, now: number): Map<string, Fresh> {
  const fresh = new Map<string, Fresh>();
  for (const cell of wrong) {
    if (cell.expected !== 'allowed') continue;
    const ready = Math.max(options.readySince(cell.from) ?? -Infinity, options.readySince(cell.to) ?? -Infinity);
    const back = Math.max(options.nodeBackSince?.(cell.from) ?? -Infinity, options.nodeBackSince?.(cell.to) ?? -Infinity);
    const since = Math.max(ready, back);
    if (since + options.settleMs > now) fresh.set(cellKey(cell), { since, until: since + options.settleMs, after: back > ready ? 'node-back' : 'ready' });
  }
  return fresh;
}

/** The comparison with the cells that came right moved from wrong to right. */
export function withSettled(c: Comparison, settled: SettledCell[]): Comparison {
  if (settled.length === 0) return c;
  const keys = new Set(settled.map(cellKey));
  return { ...c, wrong: c.wrong.filter((w) => !keys.has(cellKey(w))), right: c.right + settled.length, actualAllowed: c.actualAllowed + settled.length, settled: [...(c.settled ?? []), ...settled] };
}

/** Re-probes fresh blocked cells until each is right or its pod is no longer fresh. */
export async function settleBlocks(c: Comparison, options: SettleOptions): Promise<Comparison> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const waitMs = options.waitMs ?? 2_000;
  const pending = freshBlocks(c.wrong, options, now());
  const settled: SettledCell[] = [];
  while (pending.size > 0) {
    const wait = Math.min(waitMs, Math.max(0, Math.max(...[...pending.values()].map((p) => p.until)) - now()));
    await sleep(wait);
    const cells = await options.reprobe(new Set(pending.keys()));
    const at = now();
    for (const cell of cells) {
      const key = cellKey(cell);
      const block = pending.get(key);
      if (!block) continue;
      if (cell.result === 'allowed') {
        settled.push({ from: cell.from, to: cell.to, port: cell.port, afterReadyMs: Math.max(0, at - block.since), after: block.after });
        pending.delete(key);
      } else if (cell.result === 'unknown') {
        // The pod went away or stopped answering: the first probe's block stands.
        pending.delete(key);
      }
    }
    for (const [key, block] of pending) if (block.until <= at) pending.delete(key);
  }
  return withSettled(c, settled);
}

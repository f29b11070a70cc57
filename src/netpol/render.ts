// Output formats for expected-reachability cells: JSON for machines, a
// from-by-to grid per port/protocol for people.
import { compare } from './engine.ts';
import type { ReachabilityCell } from './model.ts';

export const ALLOWED_MARK = '✓';
export const DENIED_MARK = '✗';

/** `{"cells":[...]}`; reasons are included only when asked for. */
export function renderJson(cells: ReachabilityCell[], withReasons = false): string {
  const out = cells.map(({ from, to, port, protocol, allowed, reason }) => (withReasons && reason !== undefined ? { from, to, port, protocol, allowed, reason } : { from, to, port, protocol, allowed }));
  return `${JSON.stringify({ cells: out })}\n`;
}

/**
 * One grid per port/protocol. Columns are numbered (pod names are too wide
 * for headers); each row's number says which column is that pod.
 */
export function renderTable(cells: ReachabilityCell[], withReasons = false): string {
  const pods = [...new Set(cells.flatMap((c) => [c.from, c.to]))].sort(compare);
  const groups = new Map<string, ReachabilityCell[]>();
  for (const cell of cells) {
    const key = `${cell.port}/${cell.protocol}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const number = new Map(pods.map((pod, i) => [pod, String(i + 1)]));
  const numberWidth = String(pods.length).length;
  const corner = 'from \\ to';
  const labelWidth = Math.max(corner.length, ...pods.map((p) => p.length + numberWidth + 1));
  const colWidth = Math.max(2, numberWidth) + 1;

  const lines = [`Expected reachability (rows = from, columns = to; ${ALLOWED_MARK} allowed, ${DENIED_MARK} denied)`];
  for (const [key, group] of groups) {
    const allowed = new Map(group.map((c) => [`${c.from} ${c.to}`, c]));
    lines.push('', `${key}:`);
    lines.push(`${corner.padEnd(labelWidth)} ${pods.map((p) => number.get(p)!.padStart(colWidth)).join('')}`);
    for (const from of pods) {
      const label = `${number.get(from)!.padStart(numberWidth)} ${from}`.padEnd(labelWidth);
      const marks = pods.map((to) => {
        const cell = allowed.get(`${from} ${to}`);
        return (cell === undefined ? '' : cell.allowed ? ALLOWED_MARK : DENIED_MARK).padStart(colWidth);
      });
      lines.push(`${label} ${marks.join('')}`);
    }
    if (withReasons) {
      for (const cell of group) {
        if (cell.reason !== undefined) lines.push(`  ${cell.from} -> ${cell.to}: ${cell.allowed ? 'allowed' : 'denied'} (${cell.reason})`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

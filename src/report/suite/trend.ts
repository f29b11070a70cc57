// A scenario's trend over its history as a small inline SVG: time to recover
// and k6 p95 per night (the median over that night's repeats of each run's
// worst fault window), nights that failed marked in red. Two stacked lanes,
// each scaled to its own figures, so a slow creep is visible at a glance.
import { median } from '../../history/status.ts';
import { worstP95Ms, worstRecoveryMs, type HistoryRecord } from '../../history/record.ts';
import { escapeXml } from '../text.ts';

export interface TrendNight {
  batch: string;
  startedAt: number;
  recoveryMs?: number;
  p95Ms?: number;
  failed: boolean;
}

/** The scenario's records grouped by night, oldest first; at most the last `limit` nights. */
export function trendNights(records: HistoryRecord[], limit = 30): TrendNight[] {
  const byBatch = new Map<string, HistoryRecord[]>();
  for (const r of [...records].sort((a, b) => a.startedAt - b.startedAt)) byBatch.set(r.batch, [...(byBatch.get(r.batch) ?? []), r]);
  const figure = (runs: HistoryRecord[], of: (r: HistoryRecord) => number | undefined) => {
    const values = runs.map(of).filter((v): v is number => v !== undefined);
    return values.length ? median(values) : undefined;
  };
  return [...byBatch.entries()].slice(-limit).map(([batch, runs]) => {
    const recoveryMs = figure(runs, worstRecoveryMs);
    const p95Ms = figure(runs, worstP95Ms);
    return { batch, startedAt: runs[0]!.startedAt, ...(recoveryMs !== undefined && { recoveryMs }), ...(p95Ms !== undefined && { p95Ms }), failed: runs.some((r) => r.verdict === 'failed') };
  });
}

const WIDTH = 460;
const LANE = 56;
const LEFT = 64;
const RIGHT = 8;
const GAP = 14;

function lane(nights: TrendNight[], value: (n: TrendNight) => number | undefined, label: string, unit: (v: number) => string, top: number, colour: string): string {
  const values = nights.map(value);
  const known = values.filter((v): v is number => v !== undefined);
  const max = known.length ? Math.max(...known) : 0;
  const x = (i: number) => LEFT + (nights.length === 1 ? (WIDTH - LEFT - RIGHT) / 2 : (i * (WIDTH - LEFT - RIGHT)) / (nights.length - 1));
  const y = (v: number) => top + LANE - 4 - (max > 0 ? (v / max) * (LANE - 12) : 0);
  const points = values.map((v, i) => (v === undefined ? undefined : { x: x(i), y: y(v), v, night: nights[i]! }));
  const path = points
    .filter((p) => p !== undefined)
    .map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join('');
  const marks = points
    .map((p) => {
      if (!p) return '';
      const title = `<title>${escapeXml(`${new Date(p.night.startedAt).toISOString().slice(0, 10)}: ${label} ${unit(p.v)}${p.night.failed ? ' (failed)' : ''}`)}</title>`;
      return p.night.failed
        ? `<g class="failed"><path d="M${p.x - 4},${p.y - 4}L${p.x + 4},${p.y + 4}M${p.x - 4},${p.y + 4}L${p.x + 4},${p.y - 4}" stroke="#dc2626" stroke-width="2"/>${title}</g>`
        : `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="2.5" fill="${colour}">${title}</circle>`;
    })
    .join('');
  return [
    `<text x="0" y="${top + 14}" font-size="11" fill="#334155">${escapeXml(label)}</text>`,
    `<text x="0" y="${top + 28}" font-size="10" fill="#64748b">max ${escapeXml(known.length ? unit(max) : 'n/a')}</text>`,
    `<line x1="${LEFT}" y1="${top + LANE - 4}" x2="${WIDTH - RIGHT}" y2="${top + LANE - 4}" stroke="#e2e8f0"/>`,
    path ? `<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>` : '',
    marks,
  ].join('');
}

/** The first and last night's dates under the lanes: where the trend starts and ends. */
function dates(nights: TrendNight[], top: number): string {
  const day = (n: TrendNight) => new Date(n.startedAt).toISOString().slice(0, 10);
  const first = `<text x="${LEFT}" y="${top}" font-size="10" fill="#64748b">${escapeXml(day(nights[0]!))}</text>`;
  return nights.length > 1 ? `${first}<text x="${WIDTH - RIGHT}" y="${top}" font-size="10" fill="#64748b" text-anchor="end">${escapeXml(day(nights.at(-1)!))}</text>` : first;
}

export function trendSvg(nights: TrendNight[]): string {
  const height = LANE * 2 + GAP + 14;
  if (nights.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="24" role="img"><text x="0" y="16" font-size="11" fill="#64748b">no history yet</text></svg>`;
  const s = (v: number) => `${(v / 1000).toFixed(1)} s`;
  const ms = (v: number) => `${Math.round(v)} ms`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="recovery time and p95 over ${nights.length} nights">`,
    lane(nights, (n) => n.recoveryMs, 'recovery', s, 0, '#2563eb'),
    lane(nights, (n) => n.p95Ms, 'p95 (k6)', ms, LANE + GAP, '#d97706'),
    dates(nights, height - 2),
    '</svg>',
  ].join('');
}

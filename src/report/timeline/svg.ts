// Draws a TimelineModel as one inline SVG: fault bands behind stacked lanes
// sharing one time axis, phase boundaries and assertion failures as vertical
// markers through every lane. Hover details use SVG <title> (no JS needed).
// Layout is computed in a fixed 1200-unit-wide viewBox; the SVG scales to
// its container, so text stays legible down to ~900px. No xmlns: it is only
// ever inlined in HTML, and the report must not name any external URL.
import { formatDuration, formatOffset } from '../format.ts';
import { escapeXml, escapeXmlAttr, truncate } from '../text.ts';
import type { Band, BlindSpan, FailureMarker, Lane, LaneSeries, MomentMarker, PhaseMarker, TimelineModel } from './model.ts';
import { bandColor, ERROR_COLOR, FAILURE_COLOR, GRID, INK, MUTED, RPS_COLOR, seriesColor } from './palette.ts';
import { formatNumber, formatPercent, formatTimeTick, linearScale, niceStep, ticks, timeStep, type Scale } from './scale.ts';

const WIDTH = 1200;
const X0 = 78;
const X1 = WIDTH - 28;
const ROW = 18;
const FONT = 12;
/** Rough advance of one character at FONT size; only used to avoid overlaps. */
const CHAR_W = 7;
const LANE_GAP = 18;
const MOMENT_ROW = 16;

interface Placed<T> {
  item: T;
  /** The point the label belongs to (band start, marker). */
  x: number;
  /** Where the label's box starts; it always reads left to right from here. */
  left: number;
  row: number;
}

interface LaneGeometry {
  lane: Lane;
  index: number;
  top: number;
  plotTop: number;
  plotBottom: number;
  y: Scale;
  yTicks: number[];
  yFormat: (v: number) => string;
  legend: Array<{ x: number; y: number; label: string; color: string; dashed: boolean; area: boolean }>;
  stat: string;
}

export function renderTimelineSvg(model: TimelineModel): string {
  const x = linearScale(model.domain, [X0, X1]);
  const clampX = (v: number) => Math.min(X1, Math.max(X0, x(v)));

  // Fault labels in as many rows as needed so none overlap.
  const bandLabels = placeLabels(
    model.bands.map((b, i) => ({ band: b, color: bandColor(i) })),
    (b) => clampX(b.band.start),
    (b) => bandLabel(b.band).length * CHAR_W + 16,
    0,
  );
  const bandRows = Math.max(1, ...bandLabels.map((l) => l.row + 1));
  let cursor = 6 + (model.bands.length ? bandRows * ROW + 4 : 0);

  // Moments inside faults (notice, first eviction...) get rows of their own under the fault labels.
  const momentLabels = placeLabels(
    model.moments,
    (m) => clampX(m.x),
    (m) => m.label.length * CHAR_W + 4,
    8,
  );
  const momentRowY = cursor;
  if (model.moments.length) cursor += Math.max(...momentLabels.map((l) => l.row + 1)) * MOMENT_ROW + 4;

  const failureRowY = cursor;
  if (model.failures.length) cursor += 24;

  const lanesTop = cursor;
  const lanes: LaneGeometry[] = model.lanes.map((lane, index) => {
    const geometry = layoutLane(lane, index, cursor, model);
    cursor = geometry.plotBottom + LANE_GAP;
    return geometry;
  });
  const lanesBottom = cursor - LANE_GAP;

  const step = timeStep(model.domain[1] - model.domain[0], 12);
  const xTicks = ticks(model.domain[0], model.domain[1], step);
  const phaseLabels = placeLabels(
    model.phases,
    (p) => x(p.x),
    (p) => (p.phase.length + 2) * CHAR_W,
    3,
  );
  const phaseRows = model.phases.length ? Math.max(...phaseLabels.map((l) => l.row + 1)) : 0;
  const axisLabelsY = lanesBottom + 16;
  const phaseTop = axisLabelsY + 8;
  const height = phaseTop + phaseRows * 16 + 26;

  const out: string[] = [];
  out.push(
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="Run timeline" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif" font-size="${FONT}">`,
    '<defs>',
    ...lanes.map((g) => `<clipPath id="lane-clip-${g.index}"><rect x="${X0}" y="${g.plotTop - 3}" width="${X1 - X0}" height="${g.plotBottom - g.plotTop + 6}"/></clipPath>`),
    `<pattern id="blind-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#ffffff" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="6" stroke="${MUTED}" stroke-opacity="0.45" stroke-width="1.5"/></pattern>`,
    `<pattern id="failed-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="${FAILURE_COLOR}" fill-opacity="0.06"/><line x1="0" y1="0" x2="0" y2="8" stroke="${FAILURE_COLOR}" stroke-opacity="0.35" stroke-width="2"/></pattern>`,
    '</defs>',
  );

  // 1. Plot backgrounds, then fault bands over the whole lane block.
  for (const g of lanes) out.push(rect(X0, g.plotTop, X1 - X0, g.plotBottom - g.plotTop, { fill: '#f8fafc', stroke: GRID }));
  model.bands.forEach((band, i) => {
    out.push(renderBand(band, bandColor(i), x, lanesTop, lanesBottom));
  });

  // 2. Grid and axes.
  for (const g of lanes) out.push(renderGrid(g, x, xTicks));
  out.push(...xTicks.map((t) => text(x(t), axisLabelsY, formatTimeTick(t), { anchor: 'middle', fill: MUTED, cls: 'tick' })));

  // 3. Phase boundaries.
  for (const p of phaseLabels) out.push(renderPhase(p, x, lanesTop, lanesBottom, phaseTop));

  // 4. Data, veiled where it is the API's last word rather than what happened.
  for (const g of lanes) out.push(renderLaneData(g, x));
  const veiled = lanes.filter((g) => g.lane.fromApi && g.lane.series.length);
  for (const span of model.blind) out.push(...veiled.map((g, i) => renderBlind(span, g, clampX, i === 0)));

  // 5. Moments inside faults, then assertion failures on top of everything they explain.
  for (const m of momentLabels) out.push(renderMoment(m, clampX, momentRowY, lanesBottom));
  const failureLabels = placeLabels(
    model.failures,
    (f) => clampX(f.x),
    (f) => failureLabel(f).length * CHAR_W + 4,
    9,
  );
  for (const f of failureLabels) out.push(renderFailure(f, clampX, failureRowY, lanesBottom));

  // 6. Labels last so nothing paints over them.
  for (const l of bandLabels) out.push(renderBandLabel(l, 6 + l.row * ROW));
  for (const g of lanes) out.push(renderLaneHeader(g));
  out.push(text(X1, height - 8, `time since ${model.originLabel} →`, { anchor: 'end', fill: MUTED, cls: 'axis-title' }));
  out.push('</svg>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------
// Lanes

function layoutLane(lane: Lane, index: number, top: number, model: TimelineModel): LaneGeometry {
  const plotHeight = lane.kind === 'replicas' ? 120 : lane.kind === 'generic' ? 70 : 90;
  const { max, min, tickStep, format } = yAxis(lane);
  const stat = laneStat(lane, model);
  const entries = legendEntries(lane);

  // Legend flows after the title and wraps under it when the row is full.
  const statWidth = stat.length * CHAR_W + 20;
  let lx = X0 + lane.title.length * (CHAR_W + 0.6) + 22;
  let row = 0;
  const legend: LaneGeometry['legend'] = [];
  for (const e of entries) {
    const w = 26 + e.label.length * CHAR_W + 16;
    if (lx + w > X1 - (row === 0 ? statWidth : 0) && lx > X0) {
      row += 1;
      lx = X0;
    }
    legend.push({ ...e, x: lx, y: top + 13 + row * ROW });
    lx += w;
  }
  const plotTop = top + (row + 1) * ROW + 4;
  const plotBottom = plotTop + plotHeight;
  const y = linearScale([min, max], [plotBottom, plotTop]);
  const yTicks = lane.series.length ? ticks(min, max, tickStep) : [];
  return { lane, index, top, plotTop, plotBottom, y, yTicks, yFormat: format, legend, stat };
}

function yAxis(lane: Lane): { min: number; max: number; tickStep: number; format: (v: number) => string } {
  const values = lane.series.flatMap((s) => s.points.map((p) => p.v));
  const hi = values.length ? Math.max(...values) : 0;
  const lo = values.length ? Math.min(0, ...values) : 0;
  if (lane.kind === 'errors') {
    // Always show at least 0-5% so a flat 0 looks like "no errors", not a broken chart.
    const max = Math.min(1, Math.max(0.05, niceCeil(hi * 1.15)));
    return { min: 0, max, tickStep: niceStep(max, 3), format: formatPercent };
  }
  if (lane.kind === 'replicas') {
    // Headroom above the desired count so the line does not hide in the frame.
    const max = Math.max(1, Math.ceil(hi) + Math.max(1, Math.ceil(hi * 0.15)));
    return { min: 0, max, tickStep: Math.max(1, Math.ceil(niceStep(max, 4))), format: formatNumber };
  }
  const span = hi - lo || 1;
  // Whole-number series (pod counts, allowed disruptions) get whole-number ticks.
  const integral = values.every(Number.isInteger);
  const tickStep = integral ? Math.max(1, Math.ceil(niceStep(span * 1.15, 3))) : niceStep(span * 1.15, 3);
  const max = Math.max(tickStep, Math.ceil((hi + span * 0.1) / tickStep) * tickStep);
  const min = lo < 0 ? Math.floor(lo / tickStep) * tickStep : 0;
  return { min, max, tickStep, format: formatNumber };
}

function niceCeil(value: number): number {
  if (!(value > 0)) return 0;
  const step = niceStep(value, 4);
  return Math.ceil(value / step) * step;
}

function legendEntries(lane: Lane): Array<{ label: string; color: string; dashed: boolean; area: boolean }> {
  if (lane.kind === 'rps') return lane.series.map(() => ({ label: 'requests/s', color: RPS_COLOR, dashed: false, area: false }));
  if (lane.kind === 'errors') return lane.series.map(() => ({ label: 'failed requests', color: ERROR_COLOR, dashed: false, area: true }));
  if (lane.kind === 'replicas') {
    // One entry per deployment with its low point; desired lines share a single "dashed = desired" key.
    const ready = lane.series.filter((s) => !s.dashed);
    const entries = ready.map((s) => {
      const desired = lane.series.find((d) => d.dashed && d.colorIndex === s.colorIndex);
      const lowest = Math.min(...s.points.map((p) => p.v));
      const target = desired ? Math.max(...desired.points.map((p) => p.v)) : Math.max(...s.points.map((p) => p.v));
      return { label: `${s.label} (min ${formatNumber(lowest)}/${formatNumber(target)})`, color: seriesColor(s.colorIndex), dashed: false, area: false };
    });
    const orphanDesired = lane.series.filter((s) => s.dashed && !ready.some((r) => r.colorIndex === s.colorIndex));
    entries.push(...orphanDesired.map((s) => ({ label: s.label, color: seriesColor(s.colorIndex), dashed: true, area: false })));
    if (lane.series.some((s) => s.dashed)) entries.push({ label: 'desired', color: MUTED, dashed: true, area: false });
    return entries;
  }
  return lane.series.map((s) => ({ label: s.label, color: seriesColor(s.colorIndex), dashed: s.dashed, area: false }));
}

/** One number per lane that answers "how bad did it get?". */
function laneStat(lane: Lane, model: TimelineModel): string {
  const s = lane.series[0];
  if (!s) return '';
  const values = s.points.map((p) => p.v);
  if (lane.kind === 'rps') {
    // The ramp-up from 0 is expected; the low point that matters comes after it.
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const warm = values.findIndex((v) => v >= median * 0.8);
    const steady = warm === -1 ? values : values.slice(warm);
    const mean = steady.reduce((a, b) => a + b, 0) / steady.length;
    return `mean ${formatNumber(mean)}/s · low ${formatNumber(Math.min(...steady))}/s${warm > 0 ? ' after ramp-up' : ''}`;
  }
  if (lane.kind === 'errors') {
    const peak = s.points.reduce((a, b) => (b.v > a.v ? b : a));
    if (peak.v <= 0) return 'no failed requests';
    return `peak ${formatPercent(peak.v)} at ${formatOffset(peak.x * 1000)} after ${model.originLabel}`;
  }
  return '';
}

function renderLaneHeader(g: LaneGeometry): string {
  const parts = [text(X0, g.top + 13, g.lane.title, { cls: 'lane-title', fill: INK, weight: 600, halo: true })];
  for (const e of g.legend) {
    if (e.area) {
      parts.push(rect(e.x, e.y - 8, 20, 9, { fill: e.color, fillOpacity: 0.2, stroke: e.color }));
    } else {
      parts.push(`<line x1="${e.x}" y1="${e.y - 4}" x2="${e.x + 20}" y2="${e.y - 4}" stroke="${e.color}" stroke-width="${e.dashed ? 2 : 3}"${e.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    }
    parts.push(text(e.x + 26, e.y, e.label, { fill: INK, cls: 'legend', halo: true }));
  }
  if (g.stat) parts.push(text(X1, g.top + 13, g.stat, { anchor: 'end', fill: MUTED, cls: 'lane-stat', halo: true }));
  // Y tick labels.
  for (const v of g.yTicks) parts.push(text(X0 - 8, g.y(v) + 4, g.yFormat(v), { anchor: 'end', fill: MUTED, cls: 'tick' }));
  if (!g.lane.series.length) {
    parts.push(text((X0 + X1) / 2, (g.plotTop + g.plotBottom) / 2 + 4, 'no samples recorded', { anchor: 'middle', fill: MUTED, cls: 'empty', italic: true, halo: true }));
  }
  return `<g class="lane-header" data-lane="${escapeXmlAttr(g.lane.key)}">${parts.join('')}</g>`;
}

function renderGrid(g: LaneGeometry, x: Scale, xTicks: number[]): string {
  const lines = [...xTicks.map((t) => `<line x1="${r(x(t))}" y1="${g.plotTop}" x2="${r(x(t))}" y2="${g.plotBottom}" stroke="${GRID}"/>`), ...g.yTicks.map((v) => `<line x1="${X0}" y1="${r(g.y(v))}" x2="${X1}" y2="${r(g.y(v))}" stroke="${GRID}"/>`)];
  if (x.domain[0] < 0 && x.domain[1] > 0) {
    // Zero is load start: worth a stronger line than the other ticks.
    lines.push(`<line x1="${r(x(0))}" y1="${g.plotTop}" x2="${r(x(0))}" y2="${g.plotBottom}" stroke="#94a3b8"/>`);
  }
  return `<g class="grid">${lines.join('')}</g>`;
}

function renderLaneData(g: LaneGeometry, x: Scale): string {
  const parts: string[] = [];
  // Deployments usually sit at the same count; nudging each a few pixels
  // keeps every line visible instead of the last one hiding the others.
  const groups = [...new Set(g.lane.series.map((s) => s.colorIndex))].sort((a, b) => a - b);
  const nudge = (s: LaneSeries) => (g.lane.kind === 'replicas' && groups.length > 1 ? (groups.indexOf(s.colorIndex) - (groups.length - 1) / 2) * 3 : 0);
  for (const s of g.lane.series) {
    const color = g.lane.kind === 'rps' ? RPS_COLOR : g.lane.kind === 'errors' ? ERROR_COLOR : seriesColor(s.colorIndex);
    const dy = nudge(s);
    const segments = toSegments(s, x, (v) => g.y(v) + dy);
    const title = `<title>${escapeXml(seriesTitle(s, g))}</title>`;
    if (g.lane.kind === 'errors') {
      const base = r(g.y(0));
      const area = segments
        .filter((seg) => seg.length > 1)
        .map((seg) => `M${seg[0]![0]},${base}${seg.map(([px, py]) => `L${px},${py}`).join('')}L${seg.at(-1)![0]},${base}Z`)
        .join('');
      if (area) parts.push(`<path d="${area}" fill="${color}" fill-opacity="0.18" stroke="none"/>`);
    }
    const d = segments.map((seg) => pathFor(seg, s.step)).join('');
    parts.push(
      `<g class="series" data-series="${escapeXmlAttr(s.name)}">${title}` +
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="${s.dashed ? 1.75 : 2.25}" stroke-linejoin="round" stroke-linecap="round"${s.dashed ? ' stroke-dasharray="6 4" stroke-opacity="0.75"' : ''}/>` +
        segments
          .filter((seg) => seg.length === 1)
          .map((seg) => `<circle cx="${seg[0]![0]}" cy="${seg[0]![1]}" r="2.5" fill="${color}"/>`)
          .join('') +
        '</g>',
    );
  }
  return `<g class="lane-data" clip-path="url(#lane-clip-${g.index})">${parts.join('')}</g>`;
}

function seriesTitle(s: LaneSeries, g: LaneGeometry): string {
  const values = s.points.map((p) => p.v);
  const fmt = g.yFormat;
  return `${s.name}: ${s.points.length} samples, min ${fmt(Math.min(...values))}, max ${fmt(Math.max(...values))}, last ${fmt(values.at(-1) ?? 0)}`;
}

/**
 * Pixel polylines, split where sampling stopped (a gap of more than four
 * typical intervals means "no data", which must not be drawn as a ramp) and
 * thinned to min/max per pixel column when there are more points than pixels.
 */
function toSegments(s: LaneSeries, x: Scale, y: (v: number) => number): Array<Array<[number, number]>> {
  const pts = s.points;
  const gaps = pts
    .slice(1)
    .map((p, i) => p.x - pts[i]!.x)
    .sort((a, b) => a - b);
  const typical = gaps[Math.floor(gaps.length / 2)] ?? 0;
  const segments: Array<Array<{ x: number; v: number }>> = [];
  let current: Array<{ x: number; v: number }> = [];
  for (const p of pts) {
    const prev = current.at(-1);
    // Step series are sampled on change: a long gap means "unchanged", not "no data".
    if (prev && !s.step && typical > 0 && p.x - prev.x > typical * 4) {
      segments.push(current);
      current = [];
    }
    current.push(p);
  }
  if (current.length) segments.push(current);
  return segments.map((seg) => thin(seg, x).map((p): [number, number] => [r(x(p.x)), r(y(p.v))]));
}

function thin(points: Array<{ x: number; v: number }>, x: Scale): Array<{ x: number; v: number }> {
  if (points.length <= (X1 - X0) * 2) return points;
  const out: Array<{ x: number; v: number }> = [];
  let column = Number.NaN;
  let bucket: Array<{ x: number; v: number }> = [];
  const flush = () => {
    if (!bucket.length) return;
    const lo = bucket.reduce((a, b) => (b.v < a.v ? b : a));
    const hi = bucket.reduce((a, b) => (b.v > a.v ? b : a));
    out.push(...(lo.x <= hi.x ? [lo, hi] : [hi, lo]).filter((p, i, arr) => i === 0 || p !== arr[0]));
    bucket = [];
  };
  for (const p of points) {
    const c = Math.round(x(p.x));
    if (c !== column) {
      flush();
      column = c;
    }
    bucket.push(p);
  }
  flush();
  return out;
}

function pathFor(seg: Array<[number, number]>, step: boolean): string {
  if (seg.length < 2) return '';
  const [first, ...rest] = seg;
  let d = `M${first![0]},${first![1]}`;
  let prevY = first![1];
  for (const [px, py] of rest) {
    // Step-after: the value holds until the next sample reports a change.
    d += step ? `H${px}${py !== prevY ? `V${py}` : ''}` : `L${px},${py}`;
    prevY = py;
  }
  return d;
}

// ---------------------------------------------------------------------------
// Bands, phases, failures

/** Full text lives in the tooltip; the label only has to identify the band. */
function bandLabel(band: Band): string {
  const state = band.state === 'failed' ? ' (failed)' : band.state === 'reverted' || band.state === 'active' ? '' : ` (${band.state})`;
  return `${truncate(`${band.type} · ${band.id}`, 56)}${state}`;
}

function failureLabel(f: FailureMarker): string {
  return truncate(f.assertion, 40);
}

function renderBand(band: Band, color: string, x: Scale, top: number, bottom: number): string {
  const x0 = clamp(x(band.start));
  const x1 = band.end === undefined ? x0 : clamp(x(band.end));
  const tip = `<title>${escapeXml(
    `${band.type} ${band.id}: ${band.state}, ${formatOffset(band.start * 1000)}` + (band.end === undefined ? ' (instant)' : ` for ${formatDuration((band.end - band.start) * 1000)}`) + (band.message ? `\n${band.message}` : ''),
  )}</title>`;
  const failed = band.state === 'failed';
  const parts = [tip];
  if (x1 - x0 >= 2) {
    parts.push(rect(x0, top, x1 - x0, bottom - top, { fill: failed ? 'url(#failed-hatch)' : color, fillOpacity: failed ? 1 : 0.16 }));
  }
  // Edges make adjacent or overlapping bands distinguishable; an instant fault is just its edge.
  const edge = failed ? FAILURE_COLOR : color;
  parts.push(`<line x1="${r(x0)}" y1="${top}" x2="${r(x0)}" y2="${bottom}" stroke="${edge}" stroke-width="${x1 - x0 >= 2 ? 1.5 : 3}"/>`);
  if (x1 - x0 >= 2) parts.push(`<line x1="${r(x1)}" y1="${top}" x2="${r(x1)}" y2="${bottom}" stroke="${edge}" stroke-width="1" stroke-dasharray="3 2"/>`);
  return `<g class="fault-band" data-fault="${escapeXmlAttr(band.id)}">${parts.join('')}</g>`;
}

function renderBandLabel(l: Placed<{ band: Band; color: string }>, y: number): string {
  const label = bandLabel(l.item.band);
  const failed = l.item.band.state === 'failed';
  // Mirrored labels (near the right edge) keep the swatch next to their band.
  const mirrored = l.left < l.x;
  const width = label.length * CHAR_W + 16;
  const swatchX = mirrored ? l.left + width - 12 : l.left;
  const textX = mirrored ? l.left : l.left + 14;
  return (
    `<g class="fault-label">` +
    rect(swatchX, y + 3, 10, 10, { fill: failed ? FAILURE_COLOR : l.item.color, fillOpacity: failed ? 1 : 0.7, stroke: failed ? FAILURE_COLOR : l.item.color }) +
    text(textX, y + 12, label, { fill: failed ? FAILURE_COLOR : INK, cls: 'fault-name', weight: 600, halo: true }) +
    '</g>'
  );
}

/** A lane's stretch in which shakedown could not reach the API: the line holds the last state it heard. */
function renderBlind(span: BlindSpan, g: LaneGeometry, x: (v: number) => number, labelled: boolean): string {
  const left = x(span.start);
  const width = Math.max(1, x(span.end) - left);
  const tip = `API out of reach for shakedown from ${formatOffset(span.start * 1000)} to ${formatOffset(span.end * 1000)} (fault ${span.faultId}): this lane holds the last state the API gave; what the kubelets did meanwhile shows only after`;
  const label = 'API out of reach: last state heard';
  return (
    `<g class="api-blind" data-fault="${escapeXmlAttr(span.faultId)}" data-lane="${escapeXmlAttr(g.lane.key)}"><title>${escapeXml(tip)}</title>` +
    rect(left, g.plotTop, width, g.plotBottom - g.plotTop, { fill: 'url(#blind-hatch)' }) +
    (labelled && width > label.length * CHAR_W + 8 ? text(left + 4, g.plotTop + 12, label, { fill: INK, cls: 'blind-label', italic: true, halo: true }) : '') +
    '</g>'
  );
}

function renderMoment(p: Placed<MomentMarker>, x: (v: number) => number, rowTop: number, bottom: number): string {
  const m = p.item;
  const px = r(x(m.x));
  const y = rowTop + p.row * MOMENT_ROW;
  const color = bandColor(m.band);
  return (
    `<g class="fault-moment" data-fault="${escapeXmlAttr(m.faultId)}" data-moment="${escapeXmlAttr(m.label)}"><title>${escapeXml(`${m.text} (${formatOffset(m.x * 1000)})`)}</title>` +
    `<line x1="${px}" y1="${y + 12}" x2="${px}" y2="${bottom}" stroke="${color}" stroke-width="1.5" stroke-dasharray="1 3"/>` +
    `<path d="M${px},${y + 2}L${px + 5},${y + 7}L${px},${y + 12}L${px - 5},${y + 7}Z" fill="${color}" stroke="${INK}" stroke-width="0.75"/>` +
    text(p.left, y + 11, m.label, { fill: INK, cls: 'moment-name', halo: true }) +
    '</g>'
  );
}

function renderPhase(p: Placed<PhaseMarker>, x: Scale, top: number, bottom: number, labelTop: number): string {
  const px = r(x(p.item.x));
  const color = p.item.failed ? FAILURE_COLOR : '#475569';
  const labelY = labelTop + p.row * 16 + 12;
  return (
    `<g class="phase-marker" data-phase="${escapeXmlAttr(p.item.phase)}"><title>${escapeXml(`phase ${p.item.phase} started at ${formatOffset(p.item.x * 1000)}`)}</title>` +
    `<line x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="${color}" stroke-width="1" stroke-dasharray="2 3" stroke-opacity="0.7"/>` +
    `<line x1="${px}" y1="${bottom}" x2="${px}" y2="${labelY - 9}" stroke="${color}" stroke-width="1" stroke-opacity="0.5"/>` +
    text(p.left, labelY, `${p.item.phase}${p.item.failed ? ' ✕' : ''}`, { fill: color, cls: 'phase-name', halo: true }) +
    '</g>'
  );
}

function renderFailure(p: Placed<FailureMarker>, x: (v: number) => number, rowY: number, bottom: number): string {
  const f = p.item;
  const px = r(x(f.x));
  const tip = `assertion ${f.assertion} (${f.type}) ${f.status}${f.window ? ` in window ${f.window}` : ''} at ${formatOffset(f.x * 1000)}${f.message ? `\n${f.message}` : ''}`;
  // The label only shows on the first row; crowded markers keep their tooltip.
  const label = p.row === 0 ? text(p.left, rowY + 13, failureLabel(f), { fill: FAILURE_COLOR, cls: 'failure-name', weight: 600, halo: true }) : '';
  return (
    `<g class="assertion-failure" data-assertion="${escapeXmlAttr(f.assertion)}"><title>${escapeXml(tip)}</title>` +
    `<line x1="${px}" y1="${rowY + 14}" x2="${px}" y2="${bottom}" stroke="${FAILURE_COLOR}" stroke-width="1.5" stroke-dasharray="4 3"/>` +
    `<path d="M${px - 6},${rowY + 4}L${px + 6},${rowY + 4}L${px},${rowY + 15}Z" fill="${FAILURE_COLOR}"/>` +
    label +
    '</g>'
  );
}

// ---------------------------------------------------------------------------
// Helpers

/**
 * Greedy row assignment: each label goes in the first row where it does not
 * overlap the previous one. A label starts `offset` right of its point, or
 * ends `offset` left of it when it would run off the right edge, and never
 * leaves the drawing.
 */
function placeLabels<T>(items: readonly T[], at: (item: T) => number, width: (item: T) => number, offset: number): Array<Placed<T>> {
  const rowEnds: number[] = [];
  return [...items]
    .map((item) => ({ item, x: at(item), w: width(item) }))
    .sort((a, b) => a.x - b.x)
    .map(({ item, x, w }) => {
      const preferred = x + offset + w <= WIDTH - 4 ? x + offset : x - offset - w;
      const left = Math.max(4, Math.min(preferred, WIDTH - 4 - w));
      let row = rowEnds.findIndex((end) => end + 8 <= left);
      if (row === -1) row = rowEnds.length;
      rowEnds[row] = left + w;
      return { item, x, left, row };
    });
}

function clamp(px: number): number {
  return Math.min(X1, Math.max(X0, px));
}

function r(v: number): number {
  return Math.round(v * 10) / 10;
}

function rect(x: number, y: number, w: number, h: number, o: { fill: string; fillOpacity?: number; stroke?: string }): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(Math.max(0, h))}" fill="${o.fill}"${o.fillOpacity === undefined ? '' : ` fill-opacity="${o.fillOpacity}"`}${o.stroke ? ` stroke="${o.stroke}"` : ''}/>`;
}

function text(x: number, y: number, content: string, o: { anchor?: 'start' | 'middle' | 'end'; fill?: string; cls?: string; weight?: number; italic?: boolean; halo?: boolean } = {}): string {
  const attrs = [
    `x="${r(x)}"`,
    `y="${r(y)}"`,
    o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
    o.fill ? `fill="${o.fill}"` : '',
    o.cls ? `class="${o.cls}"` : '',
    o.weight ? `font-weight="${o.weight}"` : '',
    o.italic ? 'font-style="italic"' : '',
    // A white halo keeps labels legible where marker lines cross them.
    o.halo ? 'stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"' : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

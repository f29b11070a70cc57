// What the timeline shows, decided apart from how it is drawn: which lane
// each series goes to, the time window worth showing, fault bands, phase
// boundaries and the moments assertions started failing. All x values are
// seconds since the origin (load start, else run start).
import type { AssertionStatus, Phase } from '../../core/events.ts';
import { faultStory } from '../details/story.ts';
import { assertionFailureOnsets } from '../event-text.ts';
import { faultSpan, originLabel, timeOrigin } from '../format.ts';
import type { FaultRecord, RunResult, SeriesPoint } from '../../core/result.ts';

export type LaneKind = 'replicas' | 'rps' | 'errors' | 'generic';

export interface LaneSeries {
  name: string;
  /** Legend text. */
  label: string;
  /** Index into the palette, stable per deployment/series within the lane. */
  colorIndex: number;
  dashed: boolean;
  /** Replica counts change in steps; interpolating them would invent half pods. */
  step: boolean;
  points: Array<{ x: number; v: number }>;
}

export interface Lane {
  key: string;
  kind: LaneKind;
  title: string;
  series: LaneSeries[];
  /** Its series come from the Kubernetes API (k6's do not): frozen while shakedown could not reach it. */
  fromApi: boolean;
}

/** A span in which shakedown could not reach the API: its lanes show the last state it heard. */
export interface BlindSpan {
  faultId: string;
  start: number;
  end: number;
}

export interface Band {
  id: string;
  type: string;
  state: FaultRecord['state'];
  start: number;
  /** Undefined for instant faults (e.g. a pod kill). */
  end?: number;
  message?: string;
}

export interface PhaseMarker {
  phase: Phase;
  x: number;
  failed: boolean;
}

export interface FailureMarker {
  x: number;
  assertion: string;
  type: string;
  window?: string;
  status: AssertionStatus;
  message?: string;
}

/** A moment inside a fault worth its own mark (a spot drain's notice, first eviction, termination...). */
export interface MomentMarker {
  x: number;
  faultId: string;
  /** Index of the fault's band, so the mark takes its colour. */
  band: number;
  label: string;
  text: string;
}

export interface TimelineModel {
  originLabel: string;
  domain: [number, number];
  lanes: Lane[];
  bands: Band[];
  moments: MomentMarker[];
  phases: PhaseMarker[];
  failures: FailureMarker[];
  blind: BlindSpan[];
}

/** Series that count whole things (pods, allowed disruptions) change in steps like replicas do. */
const COUNT_SERIES = /replica|desired|disruption|pods|nodes|count|wrong|unknown/i;

/** Phases whose boundaries frame the measured part of the run; cluster creation would squash it. */
const FRAMING_PHASES: ReadonlySet<Phase> = new Set(['steady-state', 'load', 'faults', 'recovery']);

export function buildTimeline(result: RunResult): TimelineModel {
  const origin = timeOrigin(result);
  const rel = (t: number) => (t - origin) / 1000;

  const lanes = buildLanes(result.series, rel);
  // A fault that never started has nothing to show on a timeline of what happened.
  const shown = result.faults.filter((f) => f.startedAt !== undefined || f.state !== 'scheduled');
  const bands = shown.map((f): Band => {
    const span = faultSpan(f, origin);
    const band: Band = { id: f.id, type: f.type, state: f.state, start: rel(span.start) };
    // A fault cut short by an interrupted run ends with the run, not at its scripted end.
    if (span.end !== undefined) band.end = rel(f.endedAt === undefined ? Math.min(span.end, result.finishedAt) : span.end);
    if (f.message !== undefined) band.message = f.message;
    return band;
  });
  const moments = shown.flatMap((f, band) => faultStory(f, origin).moments.map((m): MomentMarker => ({ x: rel(m.t), faultId: f.id, band, label: m.label, text: m.text })));
  const failures = failureMarkers(result, rel);
  const blind = blindSpans(shown, result.finishedAt, rel);

  const framing = result.phases.filter((p) => FRAMING_PHASES.has(p.phase));
  const xs = [
    ...lanes.flatMap((l) => l.series.flatMap((s) => s.points.map((p) => p.x))),
    ...bands.flatMap((b) => (b.end === undefined ? [b.start] : [b.start, b.end])),
    ...failures.map((f) => f.x),
    ...moments.map((m) => m.x),
    ...framing.flatMap((p) => (p.finishedAt === undefined ? [rel(p.startedAt)] : [rel(p.startedAt), rel(p.finishedAt)])),
  ].filter(Number.isFinite);
  let domain: [number, number] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [rel(result.startedAt), rel(result.finishedAt)];
  if (!(domain[1] - domain[0] > 1)) domain = [domain[0] - 5, domain[0] + 5];

  const phases = result.phases.map((p) => ({ phase: p.phase, x: rel(p.startedAt), failed: p.status === 'failed' })).filter((p) => p.x >= domain[0] && p.x <= domain[1]);

  return { originLabel: originLabel(result), domain, lanes, bands, moments, phases, failures, blind };
}

/** From the first probe the API left unanswered to the first it answered again (or the run's end), as the faults recorded them. */
function blindSpans(faults: FaultRecord[], finishedAt: number, rel: (t: number) => number): BlindSpan[] {
  return faults.flatMap((f) => {
    const from = f.details?.apiSilentFrom;
    if (typeof from !== 'number') return [];
    const until = f.details?.apiAnsweredAgainAt;
    return [{ faultId: f.id, start: rel(from), end: rel(typeof until === 'number' ? until : finishedAt) }];
  });
}

/** Lane for a series name; core lanes have fixed keys, the rest group by metric family. */
export function laneKeyOf(name: string): { key: string; kind: LaneKind; title: string; label: string } {
  const parts = name.split(':');
  const [prefix = name, object, ...metric] = parts;
  if ((prefix === 'ready' || prefix === 'desired') && object !== undefined && metric.length === 0) {
    return { key: 'replicas', kind: 'replicas', title: 'Ready replicas', label: object };
  }
  if (name === 'k6:rps') return { key: 'rps', kind: 'rps', title: 'Request rate (k6)', label: 'requests/s' };
  if (name === 'k6:error-rate') return { key: 'errors', kind: 'errors', title: 'Error rate (k6)', label: 'failed requests' };
  if (name === 'k6:p95-ms') return { key: name, kind: 'generic', title: 'Latency p95 (k6, ms)', label: 'p95 ms' };
  // kind:object:metric groups by kind+metric (e.g. every PDB's disruptionsAllowed);
  // kind:object groups by kind (e.g. cpu of every deployment); k6 metrics stay apart.
  if (object !== undefined && prefix !== 'k6') {
    if (metric.length > 0) {
      const m = metric.join(':');
      return { key: `${prefix}:*:${m}`, kind: 'generic', title: `${prefix} ${m}`, label: object };
    }
    return { key: `${prefix}:*`, kind: 'generic', title: prefix, label: object };
  }
  return { key: name, kind: 'generic', title: name, label: name };
}

function buildLanes(series: Record<string, SeriesPoint[]>, rel: (t: number) => number): Lane[] {
  const lanes = new Map<string, Lane>([
    ['replicas', { key: 'replicas', kind: 'replicas', title: 'Ready replicas', series: [], fromApi: true }],
    ['rps', { key: 'rps', kind: 'rps', title: 'Request rate (k6)', series: [], fromApi: false }],
    ['errors', { key: 'errors', kind: 'errors', title: 'Error rate (k6)', series: [], fromApi: false }],
  ]);
  const deployments = [
    ...new Set(
      Object.keys(series)
        .filter((n) => laneKeyOf(n).kind === 'replicas')
        .map((n) => laneKeyOf(n).label),
    ),
  ].sort();

  for (const name of Object.keys(series).sort()) {
    const points = (series[name] ?? [])
      .filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v))
      .map((p) => ({ x: rel(p.t), v: p.v }))
      .sort((a, b) => a.x - b.x);
    if (points.length === 0) continue;
    const info = laneKeyOf(name);
    let lane = lanes.get(info.key);
    if (!lane) {
      lane = { key: info.key, kind: info.kind, title: info.title, series: [], fromApi: !name.startsWith('k6:') };
      lanes.set(info.key, lane);
    }
    const desired = name.startsWith('desired:');
    lane.series.push({
      name,
      label: info.kind === 'replicas' ? `${info.label}${desired ? ' desired' : ''}` : info.label,
      // A deployment's ready and desired lines share a colour; only the dash differs.
      colorIndex: info.kind === 'replicas' ? deployments.indexOf(info.label) : lane.series.length,
      dashed: desired,
      step: info.kind === 'replicas' || COUNT_SERIES.test(name),
      points,
    });
  }
  // Ready before desired for each deployment, so legends read "frontend, frontend desired".
  const replicas = lanes.get('replicas');
  replicas?.series.sort((a, b) => a.colorIndex - b.colorIndex || Number(a.dashed) - Number(b.dashed));
  const all = [...lanes.values()];
  // Core lanes stay when empty (a missing k6 lane is news), unless nothing was sampled at all.
  if (all.every((l) => l.series.length === 0)) return [{ key: 'samples', kind: 'generic', title: 'Samples', series: [], fromApi: false }];
  return all;
}

/** One marker per failure onset: a check polled every second would otherwise draw a fence. */
function failureMarkers(result: RunResult, rel: (t: number) => number): FailureMarker[] {
  return assertionFailureOnsets(result.events).map((e) => {
    const marker: FailureMarker = { x: rel(e.t), assertion: e.assertion, type: e.type, status: e.status };
    if (e.window !== undefined) marker.window = e.window;
    if (e.message !== undefined) marker.message = e.message;
    return marker;
  });
}

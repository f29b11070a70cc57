// Axis arithmetic for the timeline: linear scales and "nice" tick steps, so
// labels land on round numbers (10s, 30s, 1m; 0, 25, 50) instead of 13.7.

export interface Scale {
  (value: number): number;
  domain: readonly [number, number];
  range: readonly [number, number];
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const scale = ((value: number) => r0 + (value - d0) * k) as Scale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/** The smallest 1/2/2.5/5 × 10^k step giving at most maxTicks intervals over span. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || maxTicks < 1) return 1;
  const raw = span / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * magnitude >= raw) return m * magnitude;
  }
  return 10 * magnitude;
}

/** Time steps people read easily: seconds, then whole minutes, then hours. */
const TIME_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

export function timeStep(spanSeconds: number, maxTicks: number): number {
  const raw = spanSeconds / Math.max(1, maxTicks);
  return TIME_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 3600) * 3600;
}

/** Multiples of step within [min, max], computed by index to avoid float drift. */
export function ticks(min: number, max: number, step: number): number[] {
  if (!(step > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const out: number[] = [];
  for (let i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-9; i++) {
    out.push(Number((i * step).toPrecision(12)));
    if (out.length > 1000) break;
  }
  return out;
}

/** Time tick label: -30s, 0s, 45s, 1m, 1m30s, 1h05m. */
export function formatTimeTick(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const abs = Math.round(Math.abs(seconds));
  if (abs < 60) return `${sign}${abs}s`;
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  if (h > 0) return `${sign}${h}h${m ? String(m).padStart(2, '0') + 'm' : ''}`;
  return `${sign}${m}m${s ? String(s).padStart(2, '0') + 's' : ''}`;
}

/** Compact number for y labels: 0, 0.5, 12, 1.2k, 3.4M. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return trim(value);
}

export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  return `${pct >= 10 || Number.isInteger(pct) ? Math.round(pct) : pct.toFixed(1)}%`;
}

function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

// The request log that k6 streams (`--out json=FILE`, one JSON object per
// line), folded into per-request records and per-window statistics.
import type { LoadMetrics, WindowStats } from './metrics.ts';

export interface RequestRecord {
  t: number;
  failed: boolean;
  durationMs: number;
}

interface K6Point {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> };
}

/** Collects request records from k6's NDJSON lines, fed in any chunking. */
export class K6Stream implements LoadMetrics {
  readonly requests: RequestRecord[] = [];
  #partial = '';
  #pendingDurations: Array<{ t: number; v: number }> = [];

  feed(chunk: string): void {
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  #line(line: string): void {
    if (!line.startsWith('{')) return;
    let point: K6Point;
    try {
      point = JSON.parse(line) as K6Point;
    } catch {
      return;
    }
    if (point.type !== 'Point' || !point.data?.time) return;
    const t = Date.parse(point.data.time);
    const value = point.data.value ?? 0;
    // k6 emits, per request, http_req_duration then http_req_failed.
    if (point.metric === 'http_req_duration') this.#pendingDurations.push({ t, v: value });
    else if (point.metric === 'http_req_failed') {
      const duration = this.#pendingDurations.shift();
      this.requests.push({ t, failed: value === 1, durationMs: duration?.v ?? 0 });
    }
  }

  between(start: number, end: number): WindowStats {
    return windowStats(this.requests.filter((r) => r.t >= start && r.t <= end));
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function windowStats(records: RequestRecord[]): WindowStats {
  const failures = records.filter((r) => r.failed).length;
  const durations = records.map((r) => r.durationMs).sort((a, b) => a - b);
  return {
    requests: records.length,
    failures,
    errorRate: records.length ? failures / records.length : NaN,
    p95Ms: percentile(durations, 95),
    p99Ms: percentile(durations, 99),
  };
}

/** Per-second request rate and error rate for the report timeline. */
export function perSecond(records: RequestRecord[], from: number, to: number): Array<{ t: number; rps: number; errorRate: number }> {
  const out: Array<{ t: number; rps: number; errorRate: number }> = [];
  for (let s = Math.floor(from / 1000) * 1000; s < to; s += 1000) {
    const inSecond = records.filter((r) => r.t >= s && r.t < s + 1000);
    const failed = inSecond.filter((r) => r.failed).length;
    out.push({ t: s, rps: inSecond.length, errorRate: inSecond.length ? failed / inSecond.length : 0 });
  }
  return out;
}

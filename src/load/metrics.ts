// What assertions can ask of the load generator's measurements, per window.

export interface WindowStats {
  requests: number;
  failures: number;
  /** failures / requests; NaN when no request was sent. */
  errorRate: number;
  p95Ms: number;
  p99Ms: number;
}

export interface LoadMetrics {
  /** Statistics of the requests that completed in [start, end] (epoch ms). */
  between(start: number, end: number): WindowStats;
}

import { describe, expect, it } from 'vitest';
import { judgeThresholds, k6Thresholds } from '../../../src/load/thresholds.ts';
import { builtinScript } from '../../../src/load/script.ts';
import { LoadSpec } from '../../../src/scenario/schema.ts';

const load = LoadSpec.parse({ duration: '30s', rate: 20, thresholds: { errorRate: 0.01, p95: '500ms' } });

describe('load.thresholds, in k6 convention', () => {
  it('become k6 thresholds in the built-in script', () => {
    expect(k6Thresholds(load)).toEqual({ http_req_failed: ['rate<=0.01'], http_req_duration: ['p(95)<=500'] });
    const script = builtinScript(load);
    expect(script).toContain('thresholds: {"http_req_failed":["rate<=0.01"],"http_req_duration":["p(95)<=500"]}');
  });

  it('a scenario without thresholds hands k6 none', () => {
    const plain = LoadSpec.parse({ duration: '30s' });
    expect(k6Thresholds(plain)).toBeUndefined();
    expect(builtinScript(plain)).toContain('thresholds: {}');
    expect(judgeThresholds(plain, { requests: 10, failures: 0, errorRate: 0, p95Ms: 10, p99Ms: 10 }, false)).toEqual([]);
  });

  it('are reported with the figures they were judged on', () => {
    const results = judgeThresholds(load, { requests: 600, failures: 12, errorRate: 0.02, p95Ms: 120, p99Ms: 300 }, true);
    expect(results).toEqual([
      { metric: 'http_req_failed', expression: 'rate<=0.01', ok: false, observed: 'rate 0.0200 (12 of 600)' },
      { metric: 'http_req_duration', expression: 'p(95)<=500', ok: true, observed: 'p(95) 120 ms' },
    ]);
  });

  it("k6's exit code is the authority when it saw a crossing the figures here do not show", () => {
    const results = judgeThresholds(load, { requests: 600, failures: 0, errorRate: 0, p95Ms: 120, p99Ms: 300 }, true);
    expect(results.every((r) => !r.ok)).toBe(true);
  });
});

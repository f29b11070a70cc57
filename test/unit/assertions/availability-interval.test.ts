import { describe, expect, it } from 'vitest';
import { availability, judgeWindow } from '../../../src/assertions/availability/index.ts';
import { worstInterval } from '../../../src/assertions/availability/worst-interval.ts';
import { K6Stream } from '../../../src/load/samples.ts';

/** 10 requests a second for `seconds`, with `outage` seconds of failures starting at `outageAt`. */
function load(seconds: number, outageAt: number, outage: number, slowMs = 40) {
  const stream = new K6Stream();
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < 10; i++) {
      const failed = s >= outageAt && s < outageAt + outage;
      stream.requests.push({ t: s * 1000 + i * 100, failed, durationMs: failed ? 2000 : slowMs });
    }
  }
  return stream;
}

const params = availability.params.parse({ maxErrorRate: 0.05, p95: '1s' });

describe('availability: the worst short interval', () => {
  it('a 10 s outage inside a 4-minute window fails, though the window mean is within limits, and says when', () => {
    const stream = load(240, 100, 8);
    const whole = stream.between(0, 240_000);
    expect(whole.errorRate).toBeLessThan(0.05);
    const outcome = judgeWindow(stream, { start: 0, end: 240_000 }, params);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/^whole window 2400 requests, 3\.3% errors, p95 \d+ ms, but worst 10s \(9\d-10\d s into the window\): [78]\d\.\d% errors of 10\d requests, p95 2000 ms \(above 10\.0% errors\)$/);
    expect((outcome.details?.worstInterval as { offsetMs: number } | undefined)?.offsetMs).toBeGreaterThanOrEqual(90_000);
  });

  it('a steady window passes and still reports its worst interval', () => {
    const outcome = judgeWindow(load(60, 0, 0), { start: 0, end: 60_000 }, params);
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toMatch(/; worst 10s \(\d+-\d+ s into the window\): 0\.0% errors/);
  });

  it('an interval in which nothing completed is the worst of all', () => {
    const stream = load(60, 0, 0);
    stream.requests.splice(0, stream.requests.length, ...stream.requests.filter((r) => r.t < 20_000 || r.t >= 35_000));
    const worst = worstInterval(stream, 0, 60_000, 10_000)!;
    expect(worst.requests).toBe(0);
    expect(judgeWindow(stream, { start: 0, end: 60_000 }, params).message).toContain('no request completed 2');
  });

  it('a window shorter than the interval is judged as one interval', () => {
    const worst = worstInterval(load(5, 0, 0), 0, 5_000, 10_000)!;
    expect([worst.start, worst.end, worst.requests]).toEqual([0, 5_000, 50]);
  });
});

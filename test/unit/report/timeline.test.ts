import { describe, expect, it } from 'vitest';
import { buildTimeline, laneKeyOf } from '../../../src/report/timeline/model.ts';
import { renderTimelineSvg } from '../../../src/report/timeline/svg.ts';
import { formatTimeTick, niceStep, ticks, timeStep } from '../../../src/report/timeline/scale.ts';
import { erroredResult, passingResult, spotDrainResult } from '../../fixtures/report/sample-result.ts';

describe('laneKeyOf', () => {
  it('routes known series to the core lanes and groups the rest by metric family', () => {
    expect(laneKeyOf('ready:frontend')).toMatchObject({ key: 'replicas', label: 'frontend' });
    expect(laneKeyOf('desired:frontend')).toMatchObject({ key: 'replicas', label: 'frontend' });
    expect(laneKeyOf('k6:rps').key).toBe('rps');
    expect(laneKeyOf('k6:error-rate').key).toBe('errors');
    expect(laneKeyOf('pdb:web:disruptionsAllowed')).toMatchObject({ key: 'pdb:*:disruptionsAllowed', label: 'web' });
    expect(laneKeyOf('hpa:web:replicas')).toMatchObject({ key: 'hpa:*:replicas', label: 'web' });
    expect(laneKeyOf('cpu:web')).toMatchObject({ key: 'cpu:*', label: 'web' });
    expect(laneKeyOf('k6:p95')).toMatchObject({ key: 'k6:p95', kind: 'generic' });
    expect(laneKeyOf('latency')).toMatchObject({ key: 'latency', kind: 'generic' });
  });
});

describe('buildTimeline', () => {
  it('measures time from load start and frames the measured phases', () => {
    const model = buildTimeline(spotDrainResult());
    expect(model.originLabel).toBe('load start');
    // Steady state starts 32s before load; the last sample is at +256s, recovery ends at +258s.
    expect(model.domain).toEqual([-32, 258]);
    expect(model.bands.map((b) => [b.id, b.start, b.end])).toEqual([
      ['drain-worker2', 30.2, 92.1],
      ['backend-latency', 110.1, 140.4],
      ['kill-frontend', 160.1, 160.4],
    ]);
    expect(model.failures).toHaveLength(1);
    expect(model.failures[0]).toMatchObject({ assertion: 'backend-available', x: 31.6, status: 'failing', window: 'drain-worker2' });
  });

  it('marks the moments inside a spot drain, in the colour of its band', () => {
    const model = buildTimeline(spotDrainResult());
    expect(model.moments.map((m) => [m.label, m.x, m.band])).toEqual([
      ['notice', 30.9, 0],
      ['1st eviction', 31, 0],
      ['replacement Ready', 31.4, 0],
      ['drained', 45.8, 0],
      ['terminated', 75.9, 0],
    ]);
  });

  it('gives a deployment the same colour for ready and desired and steps replica lines', () => {
    const replicas = buildTimeline(spotDrainResult()).lanes.find((l) => l.key === 'replicas')!;
    expect(replicas.series.map((s) => [s.name, s.colorIndex, s.dashed, s.step])).toEqual([
      ['ready:backend', 0, false, true],
      ['desired:backend', 0, true, true],
      ['ready:frontend', 1, false, true],
      ['desired:frontend', 1, true, true],
    ]);
  });

  it('marks a failure that was only reported as a final verdict, and a second onset after recovery', () => {
    const result = passingResult();
    const L = result.loadStartedAt!;
    const a = { kind: 'assertion' as const, assertion: 'x', type: 't', window: 'w' };
    result.events.push(
      { t: L + 1000, ...a, status: 'failing' },
      { t: L + 2000, ...a, status: 'failing' },
      { t: L + 3000, ...a, status: 'passing' },
      { t: L + 4000, ...a, status: 'failing' },
      { t: L + 9000, ...a, status: 'failed' },
      { t: L + 9000, kind: 'assertion', assertion: 'y', type: 't', status: 'failed' },
    );
    expect(buildTimeline(result).failures.map((f) => [f.assertion, f.x])).toEqual([
      ['x', 1],
      ['x', 4],
      ['y', 9],
    ]);
  });

  it('ends a fault cut short by an interruption at the end of the run', () => {
    const result = spotDrainResult();
    const L = result.loadStartedAt!;
    result.verdict = 'interrupted';
    result.finishedAt = L + 60_000;
    const { endedAt: _ended, ...drain } = result.faults[0]!;
    result.faults = [{ ...drain, state: 'active' }];
    expect(buildTimeline(result).bands[0]).toMatchObject({ id: 'drain-worker2', start: 30.2, end: 60 });
  });

  it('veils the lanes the API feeds, not k6’s, from the first unanswered probe of a control-plane outage to the first answer', () => {
    const result = spotDrainResult();
    const L = result.loadStartedAt!;
    result.faults.push({ id: 'api-down', type: 'control-plane-outage', at: 170_000, state: 'reverted', startedAt: L + 170_000, endedAt: L + 200_000, details: { apiSilentFrom: L + 170_500, apiAnsweredAgainAt: L + 201_000 } });
    const model = buildTimeline(result);
    expect(model.blind).toEqual([{ faultId: 'api-down', start: 170.5, end: 201 }]);
    expect(model.lanes.map((l) => [l.key, l.fromApi])).toEqual(
      expect.arrayContaining([
        ['replicas', true],
        ['rps', false],
        ['errors', false],
      ]),
    );
    const svg = renderTimelineSvg(model);
    expect(svg.match(/<g class="api-blind" data-fault="api-down" data-lane="replicas">/g)).toHaveLength(1);
    expect(svg).not.toMatch(/class="api-blind"[^>]*data-lane="(rps|errors)"/);
    expect(svg).toContain('API out of reach for shakedown from +2m 51s to +3m 21s (fault api-down)');
    // A run without such a fault draws none.
    expect(renderTimelineSvg(buildTimeline(spotDrainResult()))).not.toContain('api-blind');
  });

  it('falls back to the run span with one empty lane when nothing was sampled', () => {
    const model = buildTimeline(erroredResult());
    expect(model.originLabel).toBe('run start');
    expect(model.domain).toEqual([0, 9.8]);
    expect(model.lanes).toEqual([{ key: 'samples', kind: 'generic', title: 'Samples', series: [], fromApi: false }]);
    expect(model.bands).toEqual([]);
    expect(model.phases.map((p) => [p.phase, p.failed])).toEqual([
      ['preflight', false],
      ['cluster', true],
      ['teardown', false],
    ]);
  });
});

describe('scale', () => {
  it('picks round steps and ticks without float drift', () => {
    expect(niceStep(100, 4)).toBe(25);
    expect(niceStep(0.2, 3)).toBe(0.1);
    expect(ticks(0, 0.3, 0.1)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(ticks(-32, 258, timeStep(290, 12))).toEqual([-30, 0, 30, 60, 90, 120, 150, 180, 210, 240]);
    expect(timeStep(9.8, 12)).toBe(1);
    expect(timeStep(3600, 12)).toBe(300);
  });

  it('formats time ticks compactly', () => {
    expect([-30, 0, 45, 60, 90, 3900].map(formatTimeTick)).toEqual(['-30s', '0s', '45s', '1m', '1m30s', '1h05m']);
  });
});

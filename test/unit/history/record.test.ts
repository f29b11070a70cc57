import { describe, expect, it } from 'vitest';
import { historyLine, parseHistory } from '../../../src/history/ndjson.ts';
import { historyRecord, worstP95Ms, worstRecoveryMs } from '../../../src/history/record.ts';
import type { RunResult } from '../../../src/core/result.ts';
import { night } from '../../support/history.ts';

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    schemaVersion: 1,
    runId: '20250602-093000-spot-drain-ab12',
    scenario: 'spot-drain',
    file: 'scenarios/spot-drain.yaml',
    cluster: { provider: 'kind', name: 'nightly', cni: 'kube-router', kubernetesVersion: 'v1.35.0', nodes: 4 },
    startedAt: 1_000,
    finishedAt: 91_000,
    verdict: 'failed',
    exitCode: 1,
    phases: [],
    faults: [{ id: 'reclaim', type: 'spot-drain', at: 10_000, state: 'reverted' }],
    assertions: [
      { name: 'availability', type: 'availability', window: 'steady-state', status: 'passed', message: 'ok', details: { p95Ms: 3, errorRate: 0 } },
      { name: 'availability', type: 'availability', window: 'reclaim', status: 'failed', message: 'errors', details: { requests: 900, errorRate: 0.04, p95Ms: 180, worstInterval: { requests: 40, errorRate: 0.5, p95Ms: 900, start: 0, end: 10_000 } } },
      { name: 'recovered-within', type: 'recovered-within', window: 'reclaim', status: 'passed', message: 'ok', details: { timeToRecoverMs: 23_400 } },
      { name: 'pdb-held', type: 'pdb-held', window: 'reclaim', status: 'passed', message: 'ok' },
    ],
    series: {},
    events: [],
    ...overrides,
  };
}

describe('historyRecord', () => {
  it('keeps a verdict per assertion per window and the figures of each fault window, not of steady state', () => {
    const record = historyRecord(result(), { batch: 'b1', revision: 'deadbeef', nodeImage: 'kindest/node:v1.35.0' });
    expect(record).toMatchObject({
      scenario: 'spot-drain',
      runId: '20250602-093000-spot-drain-ab12',
      batch: 'b1',
      startedAt: 1_000,
      wallTimeMs: 90_000,
      verdict: 'failed',
      kubernetesVersion: 'v1.35.0',
      cni: 'kube-router',
      nodeImage: 'kindest/node:v1.35.0',
      revision: 'deadbeef',
    });
    expect(record.assertions).toHaveLength(4);
    expect(record.assertions[1]).toEqual({ name: 'availability', window: 'reclaim', status: 'failed' });
    expect(record.recovery).toEqual([{ window: 'reclaim', timeToRecoverMs: 23_400 }]);
    expect(record.load).toEqual([{ window: 'reclaim', errorRate: 0.04, p95Ms: 180, worst: { errorRate: 0.5, p95Ms: 900, requests: 40 } }]);
    expect(worstRecoveryMs(record)).toBe(23_400);
    expect(worstP95Ms(record)).toBe(180);
  });

  it('leaves out a figure k6 could not give (no requests: p95 is NaN) and an unknown node image', () => {
    const r = result({ assertions: [{ name: 'availability', type: 'availability', window: 'reclaim', status: 'failed', message: 'no load', details: { requests: 0, errorRate: 0, p95Ms: Number.NaN } }] });
    const record = historyRecord(r, { batch: 'b1', revision: 'unknown' });
    expect(record.load).toEqual([]);
    expect(record).not.toHaveProperty('nodeImage');
    expect(worstP95Ms(record)).toBeUndefined();
  });
});

describe('parseHistory', () => {
  it('round-trips records written a line each', () => {
    const records = [night(1, 'passed', { recoveryMs: 1 }), night(2, 'failed')];
    const parsed = parseHistory(records.map(historyLine).join(''));
    expect(parsed).toEqual({ records, warnings: [] });
  });

  it('skips a malformed line with a warning naming it, and loses nothing else', () => {
    const lines = [
      historyLine(night(1, 'passed')),
      '{"schemaVersion":1,"scenario":"spot-dr\n', // torn by a crash mid-write
      historyLine(night(2, 'failed')),
      '[1,2]\n',
      `${JSON.stringify({ ...night(3, 'passed'), schemaVersion: 99 })}\n`,
      '\n',
      historyLine(night(4, 'passed')),
    ];
    const { records, warnings } = parseHistory(lines.join(''), '.shakedown/history.ndjson');
    expect(records.map((r) => r.batch)).toEqual(['night1', 'night2', 'night4']);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^\.shakedown\/history\.ndjson:2: skipped, not JSON/);
    expect(warnings[1]).toBe('.shakedown/history.ndjson:4: skipped, not a JSON object');
    expect(warnings[2]).toBe('.shakedown/history.ndjson:5: skipped, schemaVersion 99 is not 1');
  });
});

import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../src/history/record.ts';
import { overRepeats } from '../../../src/history/repeats.ts';
import { classify, describeStatus, median, type StatusKind } from '../../../src/history/status.ts';
import { night, steadyWeek } from '../../support/history.ts';

describe('overRepeats', () => {
  it.each([
    { outcomes: [true, true, true], kind: 'held', passRate: 1 },
    { outcomes: [false, false], kind: 'failed', passRate: 0 },
    { outcomes: [false, true], kind: 'flaky', passRate: 0.5 },
    { outcomes: [true, false, true, true], kind: 'flaky', passRate: 0.75 },
    { outcomes: [], kind: 'no-verdict', passRate: undefined },
  ])('$outcomes -> $kind', ({ outcomes, kind, passRate }) => {
    const verdict = overRepeats(outcomes);
    expect(verdict.kind).toBe(kind);
    expect((verdict as { passRate?: number }).passRate).toBe(passRate);
    expect(verdict.runs).toBe(outcomes.length);
  });
});

const TONIGHT = 10;
const twice = (verdicts: Array<HistoryRecord['verdict']>, figures: { recoveryMs?: number; p95Ms?: number } = {}) => verdicts.map((v, i) => night(TONIGHT, v, { ...figures, repeat: i + 1 }));

describe('classify against recorded history', () => {
  const cases: Array<{ name: string; tonight: HistoryRecord[]; past: HistoryRecord[]; margin?: number; notRunReason?: string; kind: StatusKind; says: RegExp }> = [
    { name: 'held every repeat, figures steady', tonight: twice(['passed', 'passed'], { recoveryMs: 21_000, p95Ms: 42 }), past: steadyWeek(), kind: 'held', says: /^held all 2 runs$/ },
    { name: 'held, with no history to compare', tonight: twice(['passed'], { recoveryMs: 90_000 }), past: [], kind: 'held', says: /^held$/ },
    {
      name: 'held, but recovery 40% over the median of the last 7 runs',
      tonight: twice(['passed', 'passed'], { recoveryMs: 28_000, p95Ms: 40 }),
      past: steadyWeek(),
      kind: 'regressed',
      says: /^held, but slower: recovery in reclaim 28 s against a median of 20 s over 7 runs \(\+40%\)$/,
    },
    { name: 'a 20% slower recovery is inside the default 25% margin', tonight: twice(['passed'], { recoveryMs: 24_000, p95Ms: 40 }), past: steadyWeek(), kind: 'held', says: /^held$/ },
    { name: 'the suite file can tighten the margin', tonight: twice(['passed'], { recoveryMs: 24_000, p95Ms: 40 }), past: steadyWeek(), margin: 0.1, kind: 'regressed', says: /recovery in reclaim 24 s .*\(\+20%\)/ },
    { name: 'held, but p95 doubled', tonight: twice(['passed'], { recoveryMs: 20_000, p95Ms: 80 }), past: steadyWeek(), kind: 'regressed', says: /p95 in reclaim 80 ms against a median of 40 ms/ },
    {
      name: 'the baseline is the last 7 held runs: an old slow week and failed nights do not count',
      tonight: twice(['passed'], { recoveryMs: 30_000 }),
      past: [...Array.from({ length: 5 }, (_, i) => night(i - 20, 'passed', { recoveryMs: 90_000 })), ...steadyWeek({ recoveryMs: 20_000 }), night(8, 'failed', { recoveryMs: 120_000 })],
      kind: 'regressed',
      says: /median of 20 s over 7 runs/,
    },
    { name: 'some repeats held, some failed', tonight: twice(['passed', 'failed', 'passed']), past: steadyWeek(), kind: 'flaky', says: /^flaky: held 2 of 3 runs \(67%\)$/ },
    { name: 'failed every repeat after a week of holding', tonight: twice(['failed', 'failed']), past: steadyWeek(), kind: 'new-failure', says: /^failed; held last time \(2025-06-07\)$/ },
    { name: 'failed, first night on record', tonight: twice(['failed']), past: [], kind: 'new-failure', says: /no earlier run on record/ },
    {
      name: 'failed, and failed last time too',
      tonight: twice(['failed', 'failed']),
      past: [...steadyWeek(), night(7, 'failed'), night(8, 'failed', { repeat: 1 }), night(8, 'passed', { repeat: 2 })],
      kind: 'known-failure',
      says: /^failed; failing since 2025-06-08$/,
    },
    {
      name: 'a night that never reached a verdict is not "last time"',
      tonight: twice(['failed']),
      past: [...steadyWeek(), night(8, 'failed'), night(9, 'error')],
      kind: 'known-failure',
      says: /failing since 2025-06-09/,
    },
    {
      name: 'the suite could not run it',
      tonight: [],
      past: steadyWeek(),
      notRunReason: 'cluster could not be brought back after rebuild: node w1 NotReady',
      kind: 'not-run',
      says: /^not run: cluster could not be brought back after rebuild: node w1 NotReady$/,
    },
    { name: 'every repeat hit an infrastructure error', tonight: twice(['error', 'error']), past: steadyWeek(), kind: 'not-run', says: /^not run: no run reached a verdict \(error\)$/ },
  ];

  it.each(cases)('$name -> $kind', ({ tonight, past, margin, notRunReason, kind, says }) => {
    const status = classify({ tonight, past, ...(margin !== undefined && { margin }), ...(notRunReason && { notRunReason }) });
    expect(status.kind).toBe(kind);
    expect(describeStatus(status)).toMatch(says);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

import { describe, expect, it } from 'vitest';
import { buildTimeline, renderTimeline } from '../../../src/scenario/timeline.ts';
import type { Scenario } from '../../../src/scenario/model.ts';

function scenario(faults: Array<{ id: string; at: number; duration?: number }>, load?: number): Scenario {
  return {
    file: 's.yaml',
    name: 's',
    cluster: {} as Scenario['cluster'],
    stack: {} as Scenario['stack'],
    ...(load !== undefined && { load: { duration: load } as Scenario['load'] }),
    faults: faults.map((f) => ({ ...f, type: 'x', params: {}, assert: [] })),
    assertions: [],
    recoveryTimeout: 60_000,
    report: { formats: [] },
  };
}

describe('timeline', () => {
  it('orders faults by start and computes their windows', () => {
    const t = buildTimeline(
      scenario(
        [
          { id: 'b', at: 60_000, duration: 30_000 },
          { id: 'a', at: 10_000 },
        ],
        120_000,
      ),
    );
    expect(t.entries.map((e) => e.id)).toEqual(['a', 'b']);
    expect(t.entries[1]).toMatchObject({ start: 60_000, end: 90_000 });
    expect(t.entries[0]!.end).toBeUndefined();
    expect(t.end).toBe(120_000);
  });

  it('ends at the last fault when there is no load', () => {
    expect(buildTimeline(scenario([{ id: 'a', at: 5_000, duration: 20_000 }])).end).toBe(25_000);
  });

  it('renders one lane per fault, scaled to the run', () => {
    const rows = renderTimeline(buildTimeline(scenario([{ id: 'half', at: 60_000, duration: 60_000 }], 120_000)), 20);
    const lane = rows.find((r) => r.startsWith('half'))!;
    const bar = lane.slice(lane.indexOf('|') + 1, lane.lastIndexOf('|'));
    expect(bar).toBe(`${' '.repeat(10)}${'#'.repeat(10)}`);
    expect(rows.find((r) => r.startsWith('load'))).toContain('0..2m');
  });
});

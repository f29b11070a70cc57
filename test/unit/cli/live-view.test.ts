import { describe, expect, it } from 'vitest';
import { statusLines } from '../../../src/cli/output/views.ts';

const plain = (lines: string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));

describe('the live status block', () => {
  it('shows the phase with how long it and the run have taken, the faults, assertions and load', () => {
    const t0 = 1_000_000;
    const lines = plain(
      statusLines(
        {
          phase: 'faults',
          runStartedAt: t0,
          phaseStartedAt: t0 + 75_000,
          next: { id: 'cut', type: 'network-partition', startsAt: t0 + 110_000 },
          faults: new Map([['reclaim', 'active']]),
          assertions: new Map([['availability', 'passing']]),
          samples: new Map([
            ['k6:rps', 19.6],
            ['k6:error-rate', 0.004],
          ]),
        },
        t0 + 100_400,
      ),
    );
    expect(lines).toEqual(['▶ faults  25s in phase · 1m40s in run', '  next: cut (network-partition) in 10s', '  faults: reclaim active', '  assertions: ● availability', '  load: 20 req/s, errors 0.4%']);
  });

  it('says 0s, not 0ms, as a phase begins', () => {
    expect(plain(statusLines({ phase: 'stack', runStartedAt: 5, phaseStartedAt: 5, faults: new Map(), assertions: new Map(), samples: new Map() }, 5))[0]).toBe('▶ stack  0s in phase · 0s in run');
  });
});

// What repeats of the same thing say together. BuildPulse's rule: flaky is
// the same code both passing and failing; a run that never reached a verdict
// (an infrastructure error, an interruption) says nothing either way.

export type RepeatVerdict = { kind: 'held'; runs: number; passRate: 1 } | { kind: 'failed'; runs: number; passRate: 0 } | { kind: 'flaky'; runs: number; passRate: number } | { kind: 'no-verdict'; runs: 0 };

/** `outcomes`: true for each repeat that held, false for each that failed, in run order. */
export function overRepeats(outcomes: boolean[]): RepeatVerdict {
  const runs = outcomes.length;
  const held = outcomes.filter(Boolean).length;
  if (runs === 0) return { kind: 'no-verdict', runs: 0 };
  if (held === runs) return { kind: 'held', runs, passRate: 1 };
  if (held === 0) return { kind: 'failed', runs, passRate: 0 };
  return { kind: 'flaky', runs, passRate: held / runs };
}

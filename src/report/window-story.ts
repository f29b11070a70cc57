// What happened in a failed verdict's window, for the reader who asks why:
// the fault's own moments and every warning in it, in time order, offset
// from the window's start. Shown beside the failure (HTML) and in JUnit's
// failure body, so the failure carries its evidence with it.
import type { RunEvent } from '../core/events.ts';
import type { AssertionRecord, RunResult } from '../core/result.ts';
import { formatOffset } from './format.ts';
import { truncate } from './text.ts';

/** More than this and the list stops being read; the HTML event log has the rest. */
const MAX_LINES = 8;

function worthTelling(e: RunEvent): e is Extract<RunEvent, { kind: 'fault' | 'log' }> {
  if (e.kind === 'fault') return !!e.message;
  return e.kind === 'log' && e.level !== 'debug';
}

/** Lines like "+0.5s eviction of … refused: …" for a fault window's failure; none for other windows or passes. */
export function windowStory(result: RunResult, assertion: AssertionRecord): string[] {
  if (assertion.status !== 'failed') return [];
  const fault = result.faults.find((f) => f.id === assertion.window);
  if (fault?.startedAt === undefined) return [];
  const start = fault.startedAt;
  const end = fault.endedAt ?? result.finishedAt;
  const told = (result.events.filter((e) => e.t >= start && e.t <= end && worthTelling(e)) as Array<Extract<RunEvent, { kind: 'fault' | 'log' }>>).sort((a, b) => a.t - b.t);
  const lines = told.map((e) => `${formatOffset(e.t - start)} ${truncate(e.message ?? '', 240)}`);
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `… ${lines.length - MAX_LINES} more in the event log`] : lines;
}

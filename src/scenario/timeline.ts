// The scripted timeline: when each fault starts and ends relative to the
// start of load, and an ASCII rendering of it for --dry-run.
import { durationText } from './duration.ts';
import type { Scenario } from './model.ts';

export interface TimelineEntry {
  id: string;
  type: string;
  start: number;
  /** Undefined: applied until the end of the run. */
  end?: number;
}

export interface Timeline {
  loadDuration?: number;
  entries: TimelineEntry[];
  /** Scripted end of the fault phase (load end, or the last fault's end). */
  end: number;
  recoveryTimeout: number;
}

export function buildTimeline(scenario: Scenario): Timeline {
  const entries = scenario.faults.map((f) => ({ id: f.id, type: f.type, start: f.at, ...(f.duration !== undefined && { end: f.at + f.duration }) })).sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  const lastFault = Math.max(0, ...entries.map((e) => e.end ?? e.start));
  return {
    ...(scenario.load && { loadDuration: scenario.load.duration }),
    entries,
    end: Math.max(scenario.load?.duration ?? 0, lastFault),
    recoveryTimeout: scenario.recoveryTimeout,
  };
}

/** One row per lane: load, then each fault; `#` active, `>` open-ended. */
export function renderTimeline(timeline: Timeline, width = 50): string[] {
  const span = Math.max(timeline.end, 1);
  const col = (ms: number) => Math.min(width, Math.round((ms / span) * width));
  const label = (text: string) => text.padEnd(22).slice(0, 22);
  const lane = (start: number, end: number | undefined) => {
    const a = col(start);
    const b = end === undefined ? width : Math.max(a + 1, col(end));
    return ' '.repeat(a) + (end === undefined ? '#'.repeat(Math.max(1, b - a - 1)) + '>' : '#'.repeat(b - a)) + ' '.repeat(Math.max(0, width - b));
  };
  const rows = [`${label('')}|0${' '.repeat(width - 1 - durationText(span).length)}${durationText(span)}|`];
  if (timeline.loadDuration !== undefined) rows.push(`${label('load (k6)')}|${lane(0, timeline.loadDuration)}| 0..${durationText(timeline.loadDuration)}`);
  for (const entry of timeline.entries) {
    const window = entry.end === undefined ? `${durationText(entry.start)}..end of run` : `${durationText(entry.start)}..${durationText(entry.end)}`;
    rows.push(`${label(`${entry.id}`)}|${lane(entry.start, entry.end)}| ${window}`);
  }
  rows.push(`${label('recovery')}  then up to ${durationText(timeline.recoveryTimeout)} for the system to recover`);
  return rows;
}

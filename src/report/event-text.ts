// One line of text per event kind, for the event logs in the Markdown and
// HTML reports. The switch is exhaustive so a new kind fails typechecking.
import type { RunEvent } from '../core/events.ts';

export type Severity = 'debug' | 'info' | 'warn' | 'error';

export function describeEvent(event: RunEvent): string {
  switch (event.kind) {
    case 'run-started':
      return `run ${event.runId} started: ${event.scenario} (${event.file})${event.dryRun ? ' [dry run]' : ''}`;
    case 'phase':
      return `phase ${event.phase} ${event.status}${suffix(event.message)}`;
    case 'plan':
      return `plan: ${event.lines.join('; ')}`;
    case 'countdown':
      return `fault ${event.faultId} (${event.type}) starts in ${Math.max(0, Math.round((event.startsAt - event.t) / 1000))}s`;
    case 'fault':
      return `fault ${event.faultId} (${event.type}) ${event.state}${suffix(event.message)}`;
    case 'assertion':
      return `assertion ${event.assertion} (${event.type})${event.window ? ` [${event.window}]` : ''} ${event.status}${suffix(event.message)}`;
    case 'sample':
      return `sample ${event.series} = ${event.value}`;
    case 'cleanup':
      return `cleanup ${event.action} ${event.ok ? 'ok' : 'FAILED'}${suffix(event.message)}`;
    case 'log':
      return event.message;
    case 'run-finished':
      return `run finished: ${event.verdict} (exit ${event.exitCode})${suffix(event.message)}`;
  }
}

export function eventSeverity(event: RunEvent): Severity {
  switch (event.kind) {
    case 'log':
      return event.level;
    case 'phase':
      return event.status === 'failed' ? 'error' : 'info';
    case 'fault':
      return event.state === 'failed' ? 'error' : 'info';
    case 'assertion':
      return event.status === 'failed' ? 'error' : event.status === 'failing' ? 'warn' : 'info';
    case 'cleanup':
      return event.ok ? 'info' : 'warn';
    case 'run-finished':
      return event.verdict === 'passed' || event.verdict === 'planned' ? 'info' : 'error';
    case 'sample':
      return 'debug';
    default:
      return 'info';
  }
}

/** Warnings and errors: what a reader should look at first. Repeated polls of a failing check count once. */
export function notableEvents(events: readonly RunEvent[]): RunEvent[] {
  const repeats = new Set<RunEvent>(repeatedFailing(events));
  return events.filter((e) => {
    const s = eventSeverity(e);
    return (s === 'warn' || s === 'error') && !repeats.has(e);
  });
}

type AssertionEvent = Extract<RunEvent, { kind: 'assertion' }>;

/**
 * The moments assertions started failing: a 'failing' event after a
 * non-failing status, or a 'failed' verdict for a check that never reported
 * 'failing' (a 'failed' after an earlier onset is the verdict, not a new failure).
 */
export function assertionFailureOnsets(events: readonly RunEvent[]): AssertionEvent[] {
  const last = new Map<string, AssertionEvent['status']>();
  const hadOnset = new Set<string>();
  const onsets: AssertionEvent[] = [];
  for (const e of events) {
    if (e.kind !== 'assertion') continue;
    const key = assertionKey(e);
    const previous = last.get(key);
    last.set(key, e.status);
    const onset = e.status === 'failing' ? previous !== 'failing' && previous !== 'failed' : e.status === 'failed' && previous !== 'failing' && !hadOnset.has(key);
    if (onset) {
      hadOnset.add(key);
      onsets.push(e);
    }
  }
  return onsets;
}

/** 'failing' events that only repeat the previous poll's result. */
function repeatedFailing(events: readonly RunEvent[]): AssertionEvent[] {
  const last = new Map<string, AssertionEvent['status']>();
  const repeats: AssertionEvent[] = [];
  for (const e of events) {
    if (e.kind !== 'assertion') continue;
    const key = assertionKey(e);
    if (e.status === 'failing' && last.get(key) === 'failing') repeats.push(e);
    last.set(key, e.status);
  }
  return repeats;
}

function assertionKey(e: AssertionEvent): string {
  return `${e.assertion}\u0000${e.window ?? ''}`;
}

function suffix(message: string | undefined): string {
  return message ? `: ${message}` : '';
}

// The three ways to show a run: NDJSON (machines), plain lines (CI logs),
// and a live progress view on a terminal.
import type { EventBus, RunEvent } from '../../core/events.ts';
import { durationText } from '../../scenario/duration.ts';
import { formatEvent, type Verbosity } from './format.ts';

export type OutputMode = 'auto' | 'plain' | 'ndjson' | 'tty';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function attachView(bus: EventBus, mode: OutputMode, verbosity: Verbosity, out: Stream): () => void {
  const resolved = mode === 'auto' ? (out.isTTY && !process.env.CI ? 'tty' : 'plain') : mode;
  if (resolved === 'ndjson') return bus.on((event) => out.write(`${JSON.stringify(event)}\n`));
  if (resolved === 'plain') {
    return bus.on((event) => {
      const line = formatEvent(event, verbosity);
      if (line !== undefined) out.write(`${line}\n`);
    });
  }
  return liveView(bus, verbosity, out);
}

interface LiveState {
  phase: string;
  /** When the run and the current phase began, for the elapsed clocks. */
  runStartedAt?: number;
  phaseStartedAt?: number;
  next?: { id: string; type: string; startsAt: number };
  faults: Map<string, string>;
  assertions: Map<string, string>;
  samples: Map<string, number>;
}

/** Log lines scroll; a status block under them is redrawn in place. */
function liveView(bus: EventBus, verbosity: Verbosity, out: Stream): () => void {
  const state: LiveState = { phase: 'starting', faults: new Map(), assertions: new Map(), samples: new Map() };
  let drawn = 0;
  const clear = () => {
    if (drawn) out.write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    const lines = statusLines(state, Date.now());
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const off = bus.on((event: RunEvent) => {
    update(state, event);
    const line = formatEvent(event, verbosity);
    clear();
    if (line !== undefined) out.write(`${line}\n`);
    if (event.kind !== 'run-finished') draw();
  });
  const timer = setInterval(() => {
    clear();
    draw();
  }, 500);
  timer.unref();
  return () => {
    clearInterval(timer);
    clear();
    off();
  };
}

function update(state: LiveState, event: RunEvent): void {
  switch (event.kind) {
    case 'phase':
      if (event.status === 'started') {
        state.phase = event.phase;
        state.phaseStartedAt = event.t;
        state.runStartedAt ??= event.t;
      }
      break;
    case 'countdown':
      if (!state.next || event.startsAt < state.next.startsAt) state.next = { id: event.faultId, type: event.type, startsAt: event.startsAt };
      break;
    case 'fault':
      state.faults.set(event.faultId, event.state);
      if (state.next?.id === event.faultId) delete state.next;
      break;
    case 'assertion':
      state.assertions.set(event.assertion, event.status);
      break;
    case 'sample':
      state.samples.set(event.series, event.value);
      break;
  }
}

const STATUS_MARK: Record<string, string> = { passed: '\x1b[32m✔\x1b[0m', passing: '\x1b[32m●\x1b[0m', failed: '\x1b[31m✘\x1b[0m', failing: '\x1b[31m●\x1b[0m', pending: '○', skipped: '-' };

export function statusLines(state: LiveState, now: number): string[] {
  const clock = (since: number | undefined) => {
    const seconds = since === undefined ? 0 : Math.max(0, Math.floor((now - since) / 1000));
    return seconds === 0 ? '0s' : durationText(seconds * 1000);
  };
  const elapsed = state.phaseStartedAt === undefined ? '' : `  \x1b[2m${clock(state.phaseStartedAt)} in phase · ${clock(state.runStartedAt)} in run\x1b[0m`;
  const lines = [`\x1b[1m▶ ${state.phase}\x1b[0m${elapsed}`];
  if (state.next) lines.push(`  next: ${state.next.id} (${state.next.type}) in ${durationText(Math.max(0, Math.round((state.next.startsAt - now) / 1000) * 1000))}`);
  if (state.faults.size) lines.push(`  faults: ${[...state.faults].map(([id, s]) => `${id} ${s}`).join(' · ')}`);
  if (state.assertions.size) lines.push(`  assertions: ${[...state.assertions].map(([name, s]) => `${STATUS_MARK[s] ?? s} ${name}`).join('  ')}`);
  const rps = state.samples.get('k6:rps');
  const err = state.samples.get('k6:error-rate');
  if (rps !== undefined) lines.push(`  load: ${rps.toFixed(0)} req/s, errors ${((err ?? 0) * 100).toFixed(1)}%`);
  return lines;
}

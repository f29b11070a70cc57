// One formatter per event kind: the plain-line view of the run.
import { durationText } from '../../scenario/duration.ts';
import type { EventOf, RunEvent } from '../../core/events.ts';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

const formatters: { [K in RunEvent['kind']]: (event: EventOf<K>, verbosity: Verbosity) => string | undefined } = {
  'run-started': (e) => `run ${e.runId}: scenario ${e.scenario} (${e.file})`,
  phase: (e) => {
    if (e.status === 'started') return `== ${e.phase}`;
    if (e.status === 'failed') return `!! ${e.phase} failed: ${e.message ?? ''}`;
    return e.message ? `   ${e.phase}: ${e.message}` : undefined;
  },
  plan: (e) => e.lines.join('\n'),
  countdown: (e, v) => (v === 'verbose' ? `   ${e.faultId} (${e.type}) starts in ${durationText(Math.max(0, e.startsAt - e.t))}` : undefined),
  fault: (e) => `   fault ${e.faultId} (${e.type}): ${e.state}${e.message ? ` - ${e.message}` : ''}`,
  assertion: (e) => {
    if (e.status === 'pending' || e.status === 'passing') return undefined;
    const word = e.status === 'failing' ? 'FAILING' : e.status.toUpperCase();
    const why = e.explanation ? `\n           why: ${e.explanation.cause}${e.explanation.fix ? `\n           fix: ${e.explanation.fix}` : ''}` : '';
    return `   ${word.padEnd(7)} ${e.assertion}${e.window ? ` [${e.window}]` : ''}: ${e.message ?? ''}${why}`;
  },
  sample: (e, v) => (v === 'verbose' ? `   ${e.series} = ${e.value}` : undefined),
  cleanup: (e) => `   cleanup: ${e.action}: ${e.ok ? 'done' : `FAILED - ${e.message ?? ''}`}`,
  log: (e, v) => {
    if (e.level === 'debug' && v !== 'verbose') return undefined;
    return e.level === 'info' ? `   ${e.message}` : `   ${e.level}: ${e.message}`;
  },
  'run-finished': (e) => `${e.verdict.toUpperCase()} (exit ${e.exitCode})${e.message ? `\n${e.message}` : ''}`,
};

export function formatEvent(event: RunEvent, verbosity: Verbosity): string | undefined {
  if (verbosity === 'quiet' && !isImportant(event)) return undefined;
  return (formatters[event.kind] as (e: RunEvent, v: Verbosity) => string | undefined)(event, verbosity);
}

function isImportant(event: RunEvent): boolean {
  return (
    event.kind === 'run-finished' || (event.kind === 'log' && event.level === 'error') || (event.kind === 'assertion' && event.status === 'failed') || (event.kind === 'cleanup' && !event.ok) || (event.kind === 'phase' && event.status === 'failed')
  );
}

// A spot reclaim told as what it was: the notice (provider, length,
// mechanism), every pod's way off the node (evicted, refused by which budget,
// lost with the node), how long the drain took, when the node was terminated
// and when the replacement could take pods. Reads the details spot-drain
// records; older or partial records tell what they have.
import { formatDuration, formatOffset } from '../format.ts';
import type { DetailTable, Fact } from './readable.ts';
import type { FaultStory, Moment } from './story-types.ts';

interface Preset {
  provider?: string;
  notice?: number;
  mechanism?: string;
  note?: string;
  source?: string;
}

interface Drained {
  pod: string;
  outcome: string;
  attempts?: number;
  blockedBy?: string;
  at?: number;
}

/** In the order the report lists them: pods that left, then those that did not. */
const OUTCOMES: Record<string, string> = {
  evicted: 'evicted',
  gone: 'already gone',
  'deleted-by-shutdown': 'deleted by the shutdown',
  'blocked-at-termination': 'still refused at the deadline',
  'lost-with-node': 'lost with the node',
};

/** Pods that left before the node did. */
const LEFT = new Set(['evicted', 'gone', 'deleted-by-shutdown']);

/** The drain table lists every pod up to here: which pod blocked is the point. */
const MAX_PODS = 50;

export function spotDrainStory(details: Record<string, unknown>, origin: number): FaultStory {
  const node = str(details.node);
  const preset = (isRecord(details.preset) ? details.preset : {}) as Preset;
  const noticeAt = num(details.noticeAt);
  const drainedAt = num(details.drainedAt);
  const terminatedAt = num(details.terminatedAt);
  const replacement = str(details.replacement);
  const replacementReadyAt = num(details.replacementReadyAt);
  const terminate = str(details.terminate);
  const drain = Array.isArray(details.drain) ? (details.drain.filter((d) => isRecord(d) && typeof d.pod === 'string') as Drained[]) : undefined;
  const shutdown = preset.mechanism === 'shutdown';
  const at = (t: number) => formatOffset(t - origin);
  const sinceNotice = (t: number) => (noticeAt === undefined ? '' : ` (${formatDuration(t - noticeAt)} after the notice)`);

  const facts: Fact[] = [];
  const summary: string[] = [];
  const moments: Moment[] = [];

  if (node) facts.push({ label: 'Node', value: node });
  const length = preset.notice === undefined ? undefined : formatDuration(preset.notice);
  if (preset.provider || length || noticeAt !== undefined) {
    const parts = [preset.provider, length && `${length} from notice to termination`, noticeAt !== undefined && `given at ${at(noticeAt)}`].filter(Boolean);
    facts.push({ label: 'Notice', value: parts.join(', ') });
    summary.push(`${[preset.provider, 'notice', length].filter(Boolean).join(' ')}${node ? ` on ${node}` : ''}`);
  }
  if (preset.mechanism) {
    facts.push({
      label: 'Mechanism',
      value: shutdown ? 'graceful node shutdown: pods deleted directly, PodDisruptionBudgets do not apply' : 'drain through the Eviction API: PodDisruptionBudgets apply',
    });
  }
  if (preset.note || preset.source) facts.push({ label: 'Preset', value: [preset.note, preset.source && `timing from ${preset.source}`].filter(Boolean).join('; ') });
  if (noticeAt !== undefined) {
    moments.push({ t: noticeAt, label: 'notice', text: `${preset.provider ?? 'spot'} interruption notice${node ? ` on ${node}` : ''}${length ? `: terminating in ${length}` : ''}` });
  }

  if (drain) {
    const left = drain.filter((d) => LEFT.has(d.outcome));
    const stayed = drain.length - left.length;
    // Pods that left first, then those that did not, whatever order they were recorded in.
    const order = Object.keys(OUTCOMES);
    const counts = countBy([...drain].sort((a, b) => rank(order, a.outcome) - rank(order, b.outcome)).map((d) => OUTCOMES[d.outcome] ?? d.outcome));
    const tally = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
    const took = drainedAt !== undefined && noticeAt !== undefined ? formatDuration(drainedAt - noticeAt) : undefined;
    let value: string;
    if (drain.length === 0) value = 'no pods to move';
    else if (stayed === 0) value = `${shutdown ? 'all pods deleted' : 'drained'}${took ? ` in ${took}` : drainedAt !== undefined ? ` by ${at(drainedAt)}` : ''}: ${tally}`;
    else value = `not finished: ${stayed} of ${drain.length} pod${drain.length === 1 ? '' : 's'} still on the node at the deadline (${tally})`;
    facts.push({ label: shutdown ? 'Shutdown' : 'Drain', value });
    summary.push(drain.length === 0 ? 'no pods to move' : tally);
    if (stayed === 0 && drain.length > 0) summary.push(took ? `drained in ${took}` : 'drained');
    else if (stayed > 0) summary.push('drain unfinished at the deadline');

    const firstOut = Math.min(...left.map((d) => d.at ?? Number.POSITIVE_INFINITY));
    if (Number.isFinite(firstOut)) {
      const first = left.find((d) => d.at === firstOut)!;
      moments.push({ t: firstOut, label: shutdown ? 'pods deleted' : '1st eviction', text: `${shutdown ? 'first pod deleted' : 'first eviction'}: ${first.pod}${sinceNotice(firstOut)}` });
    }
  }
  if (drainedAt !== undefined) {
    moments.push({ t: drainedAt, label: 'drained', text: `drain finished: every pod off ${node ?? 'the node'}${sinceNotice(drainedAt)}` });
  }

  if (terminatedAt !== undefined) {
    const how = terminate === 'kill' ? 'killed (power cut) at ' : terminate === 'stop' ? 'stopped at ' : '';
    facts.push({ label: 'Node terminated', value: `${how}${at(terminatedAt)}${sinceNotice(terminatedAt)}` });
    summary.push(`terminated at ${at(terminatedAt)}`);
    moments.push({ t: terminatedAt, label: 'terminated', text: `${node ?? 'node'} terminated${sinceNotice(terminatedAt)}` });
  } else if (terminate === 'none') {
    facts.push({ label: 'Node terminated', value: 'no (terminate: none): it stayed, cordoned and tainted, until the revert' });
    summary.push('node not terminated');
  } else if (drain) {
    facts.push({ label: 'Node terminated', value: 'no: the run ended before the deadline' });
  }

  if (replacement) {
    const ready = replacementReadyAt === undefined ? 'not seen Ready' : `Ready at ${at(replacementReadyAt)}${sinceNotice(replacementReadyAt)}`;
    facts.push({ label: 'Replacement', value: `${replacement} (the spare), ${ready}` });
    summary.push(`replacement ${replacement} ${replacementReadyAt === undefined ? 'not seen Ready' : `Ready at ${at(replacementReadyAt)}`}`);
    if (replacementReadyAt !== undefined) moments.push({ t: replacementReadyAt, label: 'replacement Ready', text: `replacement ${replacement} Ready${sinceNotice(replacementReadyAt)}` });
  }

  const tables: DetailTable[] = drain && drain.length ? [drainTable(drain, shutdown, origin, noticeAt)] : [];
  return { summary, facts, tables, moments: moments.sort((a, b) => a.t - b.t) };
}

function drainTable(drain: Drained[], shutdown: boolean, origin: number, noticeAt: number | undefined): DetailTable {
  // In the order pods left; those that never did come last.
  const ordered = [...drain].sort((a, b) => (a.at ?? Number.POSITIVE_INFINITY) - (b.at ?? Number.POSITIVE_INFINITY) || a.pod.localeCompare(b.pod));
  const shown = ordered.slice(0, MAX_PODS);
  const columns = ['Pod', 'Outcome', 'Attempts', 'Refused by', 'When', ...(noticeAt === undefined ? [] : ['After notice'])];
  const rows = shown.map((d) => [
    d.pod,
    OUTCOMES[d.outcome] ?? d.outcome,
    d.attempts === undefined ? '' : String(d.attempts),
    d.blockedBy ? refusal(d.blockedBy) : '',
    d.at === undefined ? '' : formatOffset(d.at - origin),
    ...(noticeAt === undefined ? [] : [d.at === undefined ? '' : formatDuration(d.at - noticeAt)]),
  ]);
  return { title: shutdown ? 'Pods deleted by the shutdown' : 'Evictions', columns, rows, more: ordered.length - shown.length };
}

/**
 * The budget that refused an eviction, from the API's 429 message
 * ("... The disruption budget web needs 2 healthy pods and has 2 currently"):
 * "web: needs 2 healthy pods and has 2 currently"; other messages as they are.
 */
export function refusal(message: string): string {
  const match = /disruption budget (\S+) (needs .*)$/.exec(message);
  return match ? `${match[1]}: ${match[2]}` : message;
}

function rank(order: string[], outcome: string): number {
  const i = order.indexOf(outcome);
  return i === -1 ? order.length : i;
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Details objects (what faults and assertions record for the report) turned
// into words a person reads: labelled facts and small tables, times relative
// to the report's origin, durations with units. Never raw JSON: a reader
// should not have to parse `peers=["w2","w3"]` in their head.
import { formatDuration, formatOffset } from '../format.ts';

export interface Fact {
  label: string;
  value: string;
}

export interface DetailTable {
  title: string;
  columns: string[];
  rows: string[][];
  /** Rows left out to keep the report short. */
  more: number;
}

export interface DetailView {
  facts: Fact[];
  tables: DetailTable[];
}

/** Tables stop here; the rest is counted, not listed. */
export const MAX_TABLE_ROWS = 20;

/** Epoch milliseconds from 2001 on: anything that large under a time key (`t`, `at`, `start`, `end`, `...At`, `...Since`) is a moment. */
const EPOCH_MS = 1e12;

export function readableDetails(details: Record<string, unknown> | undefined, origin: number): DetailView {
  const view: DetailView = { facts: [], tables: [] };
  for (const [key, value] of Object.entries(details ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      view.tables.push(tableOf(labelOf(key), value, origin));
    } else {
      view.facts.push({ label: labelOf(key), value: readableValue(key, value, origin) });
    }
  }
  return view;
}

/** A table over records: one column per key any of them has, in first-seen order. */
export function tableOf(title: string, records: ReadonlyArray<Record<string, unknown>>, origin: number): DetailTable {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const shown = records.slice(0, MAX_TABLE_ROWS);
  return {
    title,
    columns: keys.map(labelOf),
    rows: shown.map((r) => keys.map((k) => (r[k] === undefined ? '' : readableValue(k, r[k], origin)))),
    more: records.length - shown.length,
  };
}

/** One value in words; the key says what unit a bare number is in. */
export function readableValue(key: string, value: unknown, origin: number): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return readableNumber(key, value, origin);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((v) => (isRecord(v) ? `(${inline(v, origin)})` : readableValue(key, v, origin))).join(', ');
  }
  if (isRecord(value)) return inline(value, origin);
  return String(value);
}

function readableNumber(key: string, value: number, origin: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (/(^(at|t|start|end|since)|At|Since)$/.test(key) && value > EPOCH_MS) return formatOffset(value - origin);
  if (/Ms$/.test(key)) return formatDuration(value);
  if (/Seconds$/.test(key)) return formatDuration(value * 1000);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

function inline(record: Record<string, unknown>, origin: number): string {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${labelOf(k).toLowerCase()} ${readableValue(k, v, origin)}`)
    .join(', ');
}

/**
 * `gracePeriodSeconds` -> "Grace period" (the value carries the unit),
 * `peers:w1` -> "Peers of w1", `disruptionsAllowed` -> "Disruptions allowed".
 */
export function labelOf(key: string): string {
  const [head = key, ...rest] = key.split(':');
  const words = head
    .replace(/(Ms|Seconds)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
    .trim();
  const label = rest.length ? `${words} of ${rest.join(':')}` : words;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

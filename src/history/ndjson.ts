// The history file's text: one JSON record a line. Reading is forgiving per
// line, since the file lives across many nights, versions and crashed
// writers: a line that is torn, not JSON, or not a record is skipped with a
// warning naming it, and every other line still counts.
import { HISTORY_SCHEMA, type HistoryRecord } from './record.ts';

export interface ParsedHistory {
  records: HistoryRecord[];
  warnings: string[];
}

export function historyLine(record: HistoryRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Why a parsed value is not a record this version can read, or undefined if it is one. */
function notARecord(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const r = value as Partial<HistoryRecord>;
  if (r.schemaVersion !== HISTORY_SCHEMA) return `schemaVersion ${JSON.stringify(r.schemaVersion)} is not ${HISTORY_SCHEMA}`;
  if (typeof r.scenario !== 'string' || typeof r.runId !== 'string' || typeof r.batch !== 'string') return 'scenario, runId or batch missing';
  if (typeof r.startedAt !== 'number' || typeof r.verdict !== 'string') return 'startedAt or verdict missing';
  if (!Array.isArray(r.assertions) || !Array.isArray(r.recovery) || !Array.isArray(r.load)) return 'assertions, recovery or load is not a list';
  return undefined;
}

export function parseHistory(text: string, file = 'history'): ParsedHistory {
  const records: HistoryRecord[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      warnings.push(`${file}:${i + 1}: skipped, not JSON (${(error as Error).message})`);
      return;
    }
    const problem = notARecord(value);
    if (problem) warnings.push(`${file}:${i + 1}: skipped, ${problem}`);
    else records.push(value as HistoryRecord);
  });
  return { records, warnings };
}

// The history file on disk: appended a line per scenario run, read whole.
// Appends are synchronous single writes, so a crash tears at most the line
// being written, which the reader then skips.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { historyLine, parseHistory, type ParsedHistory } from '../history/ndjson.ts';
import type { HistoryRecord } from '../history/record.ts';

export const DEFAULT_HISTORY = '.shakedown/history.ndjson';

export function readHistoryFile(path: string): ParsedHistory {
  if (!existsSync(path)) return { records: [], warnings: [] };
  return parseHistory(readFileSync(path, 'utf8'), path);
}

export function appendHistory(path: string, record: HistoryRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, historyLine(record));
}

/** shakedown's own revision (not the user's project): the checkout this module runs from, or 'unknown'. */
export function shakedownRevision(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: resolve(import.meta.dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

// The cleanup ledger: `.shakedown/runs/<id>.ndjson`, one JSON line per fact.
// Written synchronously so that a revert is on disk before its fault is
// applied, and survives a SIGKILL a millisecond later.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterRef } from '../core/cluster.ts';
import type { RevertAction } from '../core/reverts.ts';

export type LedgerEntry =
  | { op: 'run'; runId: string; pid: number; scenario: string; startedAt: number; cluster?: ClusterRef }
  | { op: 'cluster'; cluster: ClusterRef }
  | { op: 'register'; action: RevertAction; t: number }
  | { op: 'done'; id: string; t: number }
  | { op: 'revert-failed'; id: string; error: string; t: number }
  | { op: 'finished'; t: number; verdict: string };

export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

export class Ledger {
  readonly path: string;
  readonly runId: string;

  constructor(stateDir: string, runId: string) {
    this.runId = runId;
    mkdirSync(runsDir(stateDir), { recursive: true });
    this.path = join(runsDir(stateDir), `${runId}.ndjson`);
  }

  append(entry: LedgerEntry): void {
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`);
  }
}

/** What a ledger says is still to do. */
export interface LedgerState {
  runId: string;
  path: string;
  pid?: number;
  scenario?: string;
  cluster?: ClusterRef;
  finished: boolean;
  /** Registered and not yet done, in registration order. */
  pending: RevertAction[];
  failed: Map<string, string>;
}

export function readLedger(path: string): LedgerState {
  const runId = path.replace(/^.*\//, '').replace(/\.ndjson$/, '');
  const state: LedgerState = { runId, path, finished: false, pending: [], failed: new Map() };
  const pending = new Map<string, RevertAction>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(line) as LedgerEntry;
    } catch {
      continue; // a line torn by a crash mid-write: everything before it still counts
    }
    switch (entry.op) {
      case 'run':
        state.pid = entry.pid;
        state.scenario = entry.scenario;
        if (entry.cluster) state.cluster = entry.cluster;
        break;
      case 'cluster':
        state.cluster = entry.cluster;
        break;
      case 'register':
        pending.set(entry.action.id, entry.action);
        break;
      case 'done':
        pending.delete(entry.id);
        state.failed.delete(entry.id);
        break;
      case 'revert-failed':
        state.failed.set(entry.id, entry.error);
        break;
      case 'finished':
        state.finished = true;
        break;
    }
  }
  state.pending = [...pending.values()];
  return state;
}

export function listLedgers(stateDir: string): LedgerState[] {
  const dir = runsDir(stateDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .map((name) => readLedger(join(dir, name)));
}

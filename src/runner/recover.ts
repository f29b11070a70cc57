// `shakedown cleanup`: replays what killed runs left in their ledgers.
import type { ClusterHandle } from '../clusters/types.ts';
import type { Registries } from '../scenario/registries.ts';
import { runRevert } from './cleanup.ts';
import type { EventBus } from './events.ts';
import { revertHandlers } from './handlers.ts';
import { Ledger, listLedgers, type LedgerState } from './ledger.ts';
import type { RunnerPorts } from './ports.ts';

export interface RecoverOptions {
  stateDir: string;
  runId?: string;
  /** Also ledgers whose process still seems alive. */
  force?: boolean;
}

export interface RecoverReport {
  runId: string;
  reverted: string[];
  failed: Array<{ action: string; error: string }>;
  skipped?: string;
}

export function processAlive(pid: number | undefined): boolean {
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function recoverRuns(options: RecoverOptions, deps: { ports: RunnerPorts; registries: Registries; bus: EventBus; timeoutMs?: number }): Promise<RecoverReport[]> {
  const ledgers = listLedgers(options.stateDir).filter((l) => (options.runId ? l.runId === options.runId : l.pending.length > 0));
  const reports: RecoverReport[] = [];
  for (const state of ledgers) {
    if (!options.force && !state.finished && processAlive(state.pid)) {
      reports.push({ runId: state.runId, reverted: [], failed: [], skipped: `run is still in progress (pid ${state.pid}); stop it first or pass --force` });
      continue;
    }
    reports.push(await recoverOne(state, options.stateDir, deps));
  }
  return reports;
}

async function recoverOne(state: LedgerState, stateDir: string, deps: { ports: RunnerPorts; registries: Registries; bus: EventBus; timeoutMs?: number }): Promise<RecoverReport> {
  const report: RecoverReport = { runId: state.runId, reverted: [], failed: [] };
  let handle: ClusterHandle | undefined;
  if (state.cluster) {
    try {
      handle = await deps.ports.cluster.attach(state.cluster);
    } catch (error) {
      deps.bus.log('warn', `run ${state.runId}: cannot reach cluster ${state.cluster.name}: ${(error as Error).message}`);
    }
  }
  const kube = handle ? deps.ports.kube(handle) : undefined;
  const ledger = new Ledger(stateDir, state.runId);
  const handlers = revertHandlers(deps.registries, () => deps.ports);
  for (const action of [...state.pending].reverse()) {
    const error = await runRevert(action, {
      ledger,
      handlers,
      bus: deps.bus,
      context: (signal) => ({ signal, bus: deps.bus, ...(kube && { kube }), ...(handle && { nodes: handle.nodes }) }),
      ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }),
    });
    if (error) report.failed.push({ action: action.description, error: error.message });
    else report.reverted.push(action.description);
  }
  if (report.failed.length === 0) ledger.append({ op: 'finished', t: Date.now(), verdict: state.finished ? 'cleaned' : 'recovered' });
  return report;
}

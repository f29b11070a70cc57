// `shakedown cleanup`: replays what killed runs left in their ledgers.
import type { ClusterHandle } from '../core/cluster.ts';
import type { Registries } from './registries.ts';
import { runRevert } from './cleanup.ts';
import type { EventBus } from '../core/events.ts';
import { revertHandlers } from './handlers.ts';
import { Ledger, listLedgers, type LedgerState } from './ledger.ts';
import type { RevertAction } from '../core/reverts.ts';
import type { RunnerPorts } from './ports.ts';

export interface RecoverOptions {
  stateDir: string;
  runId?: string;
  /** Also ledgers whose process still seems alive. */
  force?: boolean;
  /** Leave cluster deletions pending: a suite reverts faults on the cluster it goes on using. */
  keepClusters?: boolean;
}

/** The handler that deletes a cluster, which `keepClusters` leaves pending. */
export const CLUSTER_DELETE = 'cluster/delete';

/** What a ledger still holds to revert, as the options see it. */
export function pendingReverts(state: LedgerState, options: Pick<RecoverOptions, 'keepClusters'> = {}): RevertAction[] {
  return options.keepClusters ? state.pending.filter((a) => a.handler !== CLUSTER_DELETE) : state.pending;
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
  const ledgers = listLedgers(options.stateDir).filter((l) => (options.runId ? l.runId === options.runId : pendingReverts(l, options).length > 0));
  const reports: RecoverReport[] = [];
  for (const state of ledgers) {
    if (!options.force && !state.finished && processAlive(state.pid)) {
      reports.push({ runId: state.runId, reverted: [], failed: [], skipped: `run is still in progress (pid ${state.pid}); stop it first or pass --force` });
      continue;
    }
    reports.push(await recoverOne(state, options.stateDir, deps, pendingReverts(state, options)));
  }
  return reports;
}

async function recoverOne(state: LedgerState, stateDir: string, deps: { ports: RunnerPorts; registries: Registries; bus: EventBus; timeoutMs?: number }, actions: RevertAction[]): Promise<RecoverReport> {
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
  for (const action of [...actions].reverse()) {
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
  // A cluster deletion left pending keeps the ledger open for `shakedown cleanup`.
  if (report.failed.length === 0 && actions.length === state.pending.length) ledger.append({ op: 'finished', t: Date.now(), verdict: state.finished ? 'cleaned' : 'recovered' });
  return report;
}

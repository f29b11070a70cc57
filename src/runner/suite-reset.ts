// The reset between a suite's scenarios, wired to the real world: which
// ledgers left something applied on this cluster (the previous scenario's,
// or a killed earlier run's), reverted as `shakedown cleanup` would, and the
// cluster then checked through the Kubernetes API (reset.ts).
import type { ClusterRef } from '../core/cluster.ts';
import type { Registries } from './registries.ts';
import type { EventBus } from '../core/events.ts';
import { listLedgers, type LedgerState } from './ledger.ts';
import type { RunnerPorts } from './ports.ts';
import { pendingReverts, processAlive, recoverRuns } from './recover.ts';
import { resetCluster, type Leftovers, type ResetReport } from './reset.ts';

export interface SuiteResetDeps {
  ports: RunnerPorts;
  registries: Registries;
  bus: EventBus;
  stateDir: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Ledgers of runs on `clusterName` that still hold reverts and whose process is gone (or is this one). */
export function leftoverLedgers(stateDir: string, clusterName: string): LedgerState[] {
  return listLedgers(stateDir).filter((l) => l.cluster?.name === clusterName && pendingReverts(l, { keepClusters: true }).length > 0 && !processAlive(l.pid));
}

/** The cluster a ledger ran on, newest first, for a cluster named `clusterName`. */
export function clusterRefFrom(stateDir: string, clusterName: string): ClusterRef | undefined {
  return listLedgers(stateDir)
    .reverse()
    .find((l) => l.cluster?.name === clusterName)?.cluster;
}

export async function resetSuiteCluster(ref: ClusterRef, deps: SuiteResetDeps): Promise<ResetReport> {
  const ledgers = leftoverLedgers(deps.stateDir, ref.name);
  const leftovers: Leftovers = {
    pending: ledgers.flatMap((l) => pendingReverts(l, { keepClusters: true }).map((a) => `run ${l.runId}: ${a.description}`)),
    async revert() {
      const reports = [];
      for (const l of ledgers) reports.push(...(await recoverRuns({ stateDir: deps.stateDir, runId: l.runId, force: true, keepClusters: true }, { ports: deps.ports, registries: deps.registries, bus: deps.bus })));
      return { reverted: reports.flatMap((r) => r.reverted), failed: reports.flatMap((r) => r.failed.map((f) => `${f.action}: ${f.error}`)) };
    },
  };
  const handle = await deps.ports.cluster.attach(ref);
  return resetCluster({ kube: deps.ports.kube(handle), leftovers, ...(deps.signal && { signal: deps.signal }), ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }) });
}

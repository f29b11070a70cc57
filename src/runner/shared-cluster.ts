// A cluster shared by several runs (a suite, or `--provider aws,gcp`): each
// run keeps it for the next, so none of them ledgers its deletion. This
// ledger does, for the whole sequence, so that a crash between two runs
// still leaves `shakedown cleanup` the cluster to delete.
import type { ClusterRef } from '../core/cluster.ts';
import { Ledger } from './ledger.ts';
import { newRunId } from './run.ts';

export interface SharedCluster {
  ref: ClusterRef;
  /** Deletion done (or handed over): the ledger needs nothing more. */
  settle(): void;
}

export function ledgerSharedCluster(stateDir: string, sequence: string, ref: ClusterRef): SharedCluster {
  const name = ref.name;
  const ledger = new Ledger(stateDir, newRunId(`${sequence}-cluster`));
  const t = Date.now();
  ledger.append({ op: 'run', runId: ledger.runId, pid: process.pid, scenario: sequence, startedAt: t, cluster: ref });
  ledger.append({ op: 'register', action: { id: 'shared-cluster', handler: 'cluster/delete', args: { ref }, scope: 'run', description: `delete cluster ${name} shared by ${sequence}` }, t });
  return {
    ref,
    settle() {
      ledger.append({ op: 'done', id: 'shared-cluster', t: Date.now() });
      ledger.append({ op: 'finished', t: Date.now(), verdict: 'done' });
    },
  };
}

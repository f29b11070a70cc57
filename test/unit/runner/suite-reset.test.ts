import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterRef } from '../../../src/core/cluster.ts';
import { EventBus } from '../../../src/core/events.ts';
import { Ledger, readLedger } from '../../../src/runner/ledger.ts';
import { leftoverLedgers, resetSuiteCluster } from '../../../src/runner/suite-reset.ts';
import { FakeKube, FileWorld, fakePorts, testRegistries } from '../../support/fakes.ts';

/** A pid no process has: what a killed run's ledger names. */
const DEAD_PID = 2 ** 22 + 7;

/** The ledger a run killed mid-fault leaves: its fault applied, and (if it made it) its cluster's deletion pending. */
function killedRun(stateDir: string, world: FileWorld, runId: string, cluster: string, withClusterDelete = false): Ledger {
  const ref: ClusterRef = { provider: 'fake', name: cluster, kubeconfig: '/dev/null', owned: true };
  const ledger = new Ledger(stateDir, runId);
  ledger.append({ op: 'run', runId, pid: DEAD_PID, scenario: 'spot-drain', startedAt: 1, cluster: ref });
  if (withClusterDelete) ledger.append({ op: 'register', action: { id: 'c', handler: 'cluster/delete', args: { ref }, scope: 'run', description: `delete cluster ${cluster}` }, t: 2 });
  ledger.append({ op: 'register', action: { id: 'a', handler: 'world-fault/undo', args: { world: world.path, item: 'f1:step1' }, scope: 'f1', description: 'undo f1:step1' }, t: 3 });
  world.add('f1:step1');
  return ledger;
}

describe('resetSuiteCluster', () => {
  it("reverts a killed run's fault on this cluster as cleanup would, but leaves the cluster and other clusters' ledgers alone", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'shakedown-reset-'));
    const world = new FileWorld(join(stateDir, 'world.json'));
    const here = killedRun(stateDir, world, 'r1', 'nightly', true);
    killedRun(stateDir, new FileWorld(join(stateDir, 'other.json')), 'r2', 'someone-elses');
    const kube = new FakeKube();
    kube.node('w1').unschedulable = true;
    const ports = fakePorts({ world, kube });
    expect(leftoverLedgers(stateDir, 'nightly').map((l) => l.runId)).toEqual(['r1']);

    const report = await resetSuiteCluster({ provider: 'fake', name: 'nightly', kubeconfig: '/dev/null', owned: true }, { ports, registries: testRegistries(), bus: new EventBus(), stateDir });

    expect(world.read()).toEqual([]);
    expect(ports.deleted).toEqual([]);
    expect(report.found).toEqual(['left applied: run r1: undo f1:step1', 'node w1 left cordoned']);
    expect(report.repaired).toEqual(['reverted: undo f1:step1', 'uncordoned w1']);
    expect(report.clean).toBe(true);
    // The deletion stays pending for `shakedown cleanup`, so the ledger is not closed; nothing else is left to revert.
    expect(readLedger(here.path).pending.map((a) => a.handler)).toEqual(['cluster/delete']);
    expect(leftoverLedgers(stateDir, 'nightly')).toEqual([]);
    expect(new FileWorld(join(stateDir, 'other.json')).read()).toEqual(['f1:step1']);
  });
});

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLedger } from '../../../src/runner/ledger.ts';
import { ledgerSharedCluster } from '../../../src/runner/shared-cluster.ts';
import { kindClusterRef } from '../../../src/clusters/kind/provider.ts';

describe('a cluster shared by a sequence of runs', () => {
  it('is ledgered for deletion until the sequence deletes it, so a crash between runs leaves cleanup a way to remove it', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'shakedown-shared-'));
    const shared = ledgerSharedCluster(stateDir, 'spot-drain', kindClusterRef('shakedown-spot-drain'));
    const [file] = readdirSync(join(stateDir, 'runs'));
    const path = join(stateDir, 'runs', file!);
    const open = readLedger(path);
    expect(open.finished).toBe(false);
    expect(open.cluster?.name).toBe('shakedown-spot-drain');
    expect(open.pending.map((a) => [a.handler, (a.args.ref as { name: string }).name])).toEqual([['cluster/delete', 'shakedown-spot-drain']]);
    shared.settle();
    const closed = readLedger(path);
    expect(closed.finished).toBe(true);
    expect(closed.pending).toEqual([]);
  });
});

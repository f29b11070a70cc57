import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus, type EventOf } from '../../../src/core/events.ts';
import type { RevertHandler } from '../../../src/core/reverts.ts';
import { CleanupStack } from '../../../src/runner/cleanup.ts';
import { Ledger, readLedger } from '../../../src/runner/ledger.ts';

function stackWith(handler: RevertHandler, timeoutMs: number) {
  const bus = new EventBus();
  const cleanups: EventOf<'cleanup'>[] = [];
  bus.on((e) => e.kind === 'cleanup' && cleanups.push(e));
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-cleanup-'));
  const ledger = new Ledger(dir, 'unit');
  const stack = new CleanupStack({ ledger, bus, handlers: (key) => (key === 'test/undo' ? handler : undefined), context: (signal) => ({ signal, bus }), timeoutMs });
  return { stack, cleanups, ledgerPath: ledger.path };
}

describe('a revert', () => {
  it('that hangs on its first attempt is tried again within its timeout, and the change is undone', async () => {
    let calls = 0;
    const { stack, cleanups } = stackWith(async () => {
      calls += 1;
      if (calls === 1) await new Promise(() => {}); // an API call that never answers
    }, 3_000);
    stack.register('f1', 'test/undo', {}, 'untaint node a');
    expect(await stack.unwind()).toEqual([]);
    expect(calls).toBe(2);
    expect(cleanups).toEqual([expect.objectContaining({ action: 'untaint node a', ok: true })]);
  });

  it('that keeps failing is reported once, with its last error, and stays pending in the ledger', async () => {
    let calls = 0;
    const { stack, cleanups, ledgerPath } = stackWith(async () => {
      calls += 1;
      throw new Error(`connection refused (${calls})`);
    }, 5_000);
    stack.register('f1', 'test/undo', {}, 'untaint node a');
    const errors = await stack.unwind();
    expect(calls).toBe(3);
    expect(errors.map((e) => e.message)).toEqual(['revert "untaint node a" failed: connection refused (3)']);
    expect(cleanups).toEqual([expect.objectContaining({ ok: false, message: 'connection refused (3)' })]);
    expect(readLedger(ledgerPath).pending.map((a) => a.description)).toEqual(['untaint node a']);
  });

  it('that never answers fails when its whole budget is spent', async () => {
    const { stack } = stackWith(() => new Promise(() => {}), 600);
    const started = Date.now();
    stack.register('f1', 'test/undo', {}, 'untaint node a');
    const [error] = await stack.unwind();
    expect(error?.message).toMatch(/untaint node a.*(timeout|aborted)/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

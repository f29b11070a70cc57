import { afterEach, describe, expect, it } from 'vitest';
import { exitWhenFlushed } from '../../../src/cli/main.ts';

/** A stream whose writes complete only when the test says so, as a slow pipe reader's do. */
function slowStream() {
  const pending: Array<() => void> = [];
  return {
    pending,
    write(_text: string, done?: (error?: Error | null) => void) {
      if (done) pending.push(() => done());
      return false;
    },
  };
}

describe('exitWhenFlushed', () => {
  const before = process.exitCode;
  afterEach(() => {
    process.exitCode = before;
  });

  it('exits only once every stream has taken its output, with the command exit code', async () => {
    const stdout = slowStream();
    const stderr = slowStream();
    const exits: number[] = [];
    const exit = ((code: number) => void exits.push(code)) as (code: number) => never;
    const exited = exitWhenFlushed(2, [stdout, stderr], exit);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);
    for (const done of stdout.pending) done();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([]);
    for (const done of stderr.pending) done();
    await exited;
    // Exits explicitly, so a handle left open elsewhere cannot keep the process alive.
    expect(exits).toEqual([2]);
  });
});

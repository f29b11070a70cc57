import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../src/core/events.ts';

// kubectl stands in: the namespace it reports, and the calls made of it.
const calls: string[][] = [];
let namespaceJson = '';
vi.mock('../../../src/tools/exec.ts', () => ({
  exec: async (_command: string, args: string[]) => {
    calls.push(args);
    return { exitCode: 0, stdout: '', stderr: '' };
  },
  must: async (_command: string, args: string[]) => {
    calls.push(args);
    return args.includes('get') ? namespaceJson : '';
  },
}));
const { deleteStack } = await import('../../../src/stack/teardown.ts');

const args = { kubeconfig: '/k', namespace: 'shop', nodes: [] };
const deleted = () => calls.some((c) => c.includes('delete') && c.includes('namespace'));

describe('stack teardown', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('deletes the namespace shakedown made', async () => {
    namespaceJson = JSON.stringify({ metadata: { name: 'shop', labels: { 'app.kubernetes.io/managed-by': 'shakedown' } } });
    await deleteStack(args, { signal: new AbortController().signal, bus: new EventBus() });
    expect(deleted()).toBe(true);
  });

  it("leaves a namespace of the user's in place, and says so", async () => {
    namespaceJson = JSON.stringify({ metadata: { name: 'shop', labels: { team: 'payments' } } });
    const bus = new EventBus();
    const warnings: string[] = [];
    bus.on((e) => e.kind === 'log' && e.level === 'warn' && warnings.push(e.message));
    await deleteStack(args, { signal: new AbortController().signal, bus });
    expect(deleted()).toBe(false);
    expect(warnings).toEqual(['namespace shop was not made by shakedown: left in place, with what the stack applied in it']);
  });

  it('a namespace already gone needs nothing', async () => {
    namespaceJson = '';
    await deleteStack(args, { signal: new AbortController().signal, bus: new EventBus() });
    expect(deleted()).toBe(false);
  });
});

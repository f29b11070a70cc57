import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureNamespace, stackNamespace } from '../../../src/stack/namespace.ts';
import { sampleStack } from '../../../src/stack/sample.ts';
import type { ExecOutput } from '../../../src/tools/exec.ts';

/** A kubectl that answers from a script and records what it was asked. */
function fakeKubectl(answers: Record<string, Partial<ExecOutput>>) {
  const calls: Array<{ args: string[]; input?: string }> = [];
  const kubectl = async (args: string[], input?: string): Promise<ExecOutput> => {
    calls.push({ args, ...(input !== undefined && { input }) });
    return { exitCode: 0, stdout: '', stderr: '', ...answers[args[0]!] };
  };
  return { kubectl, calls };
}

describe('the stack namespace', () => {
  it('enforces restricted Pod Security and says shakedown manages it, the same object the sample stack applies', () => {
    expect(stackNamespace('my-app')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'my-app',
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', 'app.kubernetes.io/managed-by': 'shakedown' },
      },
    });
    expect(sampleStack('my-app', 'healthy').find((o) => o.kind === 'Namespace')).toEqual(stackNamespace('my-app'));
  });

  it('is created when it does not exist', async () => {
    const { kubectl, calls } = fakeKubectl({});
    expect(await ensureNamespace(kubectl, 'my-app')).toBe('created');
    expect(calls.map((c) => c.args[0])).toEqual(['get', 'create']);
    expect(parse(calls[1]!.input!)).toEqual(stackNamespace('my-app'));
  });

  it('is left as it is when it exists, labels and all', async () => {
    const { kubectl, calls } = fakeKubectl({ get: { stdout: 'Active' } });
    expect(await ensureNamespace(kubectl, 'my-app')).toBe('present');
    expect(calls.map((c) => c.args[0])).toEqual(['get']);
  });

  it('waits out one still being deleted by an earlier run, then creates it', async () => {
    const { kubectl, calls } = fakeKubectl({ get: { stdout: 'Terminating' } });
    expect(await ensureNamespace(kubectl, 'my-app')).toBe('created');
    expect(calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['get namespace', 'wait --for=delete', 'create -f']);
  });

  it('takes one made meanwhile by someone else as there, and reports other failures', async () => {
    const race = fakeKubectl({ create: { exitCode: 1, stderr: 'Error from server (AlreadyExists): namespaces "my-app" already exists' } });
    expect(await ensureNamespace(race.kubectl, 'my-app')).toBe('created');
    const denied = fakeKubectl({ create: { exitCode: 1, stderr: 'Error from server (Forbidden): namespaces is forbidden' } });
    await expect(ensureNamespace(denied.kubectl, 'my-app')).rejects.toThrow('cannot create namespace my-app: Error from server (Forbidden)');
    const stuck = fakeKubectl({ get: { stdout: 'Terminating' }, wait: { exitCode: 1, stderr: 'timed out waiting for the condition' } });
    await expect(ensureNamespace(stuck.kubectl, 'my-app')).rejects.toThrow('namespace my-app is still being deleted');
  });
});

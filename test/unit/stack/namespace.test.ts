import { ApiException, type V1Namespace } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deletionProgress, ensureNamespace, type NamespaceApi, stackNamespace } from '../../../src/stack/namespace.ts';
import { sampleStack } from '../../../src/stack/sample.ts';

const apiError = (code: number, message: string) => new ApiException(code, 'Unknown API Status Code!', { message }, {});

/** The namespace API answering from a script: what each read finds, in turn (the last repeats), and how create goes. */
function fakeCore(reads: Array<V1Namespace | undefined>, create: () => Promise<V1Namespace> = async () => ({})) {
  const calls: string[] = [];
  const created: unknown[] = [];
  const core: NamespaceApi = {
    readNamespace: async ({ name }) => {
      calls.push('read');
      const found = reads.length > 1 ? reads.shift() : reads[0];
      if (!found) throw apiError(404, `namespaces "${name}" not found`);
      return found;
    },
    createNamespace: async ({ body }) => {
      calls.push('create');
      created.push(body);
      return create();
    },
  };
  return { core, calls, created };
}

const signal = new AbortController().signal;
const terminating: V1Namespace = { metadata: { name: 'my-app' }, status: { phase: 'Terminating', conditions: [{ type: 'NamespaceContentRemaining', status: 'True', message: 'Some resources are remaining: pods. has 2 resource instances' }] } };
const active: V1Namespace = { metadata: { name: 'my-app', labels: { team: 'payments' } }, status: { phase: 'Active' } };
const quick = { timeoutMs: 2000, pollMs: 1 };

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
    const { core, calls, created } = fakeCore([undefined]);
    expect(await ensureNamespace(core, 'my-app', signal)).toBe('created');
    expect(calls).toEqual(['read', 'create']);
    expect(created).toEqual([stackNamespace('my-app')]);
  });

  it('is left as it is when it exists, labels and all', async () => {
    const { core, calls } = fakeCore([active]);
    expect(await ensureNamespace(core, 'my-app', signal)).toBe('present');
    expect(calls).toEqual(['read']);
  });

  it('waits out one still being deleted by an earlier run, then creates it', async () => {
    const { core, calls } = fakeCore([terminating, terminating, terminating, undefined]);
    expect(await ensureNamespace(core, 'my-app', signal, quick)).toBe('created');
    expect(calls).toEqual(['read', 'read', 'read', 'read', 'create']);
  });

  it('takes one made meanwhile by someone else as there, and reports other failures in the API’s words', async () => {
    const race = fakeCore([undefined], async () => {
      throw apiError(409, 'namespaces "my-app" already exists');
    });
    expect(await ensureNamespace(race.core, 'my-app', signal)).toBe('created');
    const denied = fakeCore([undefined], async () => {
      throw apiError(403, 'namespaces is forbidden: User "dev" cannot create resource "namespaces"');
    });
    await expect(ensureNamespace(denied.core, 'my-app', signal)).rejects.toThrow('cannot create namespace my-app: namespaces is forbidden: User "dev" cannot create resource "namespaces"');
  });

  it('says what holds up one that stays Terminating', async () => {
    const stuck = fakeCore([terminating]);
    await expect(ensureNamespace(stuck.core, 'my-app', signal, { timeoutMs: 30, pollMs: 5 })).rejects.toThrow(
      'namespace my-app is still being deleted (by an earlier run?) after 0.03s: still Terminating; Some resources are remaining: pods. has 2 resource instances',
    );
  });

  it('says it cannot be read when the read fails for another reason than its absence', async () => {
    const core: NamespaceApi = {
      readNamespace: async () => {
        throw apiError(403, 'namespaces "my-app" is forbidden');
      },
      createNamespace: async () => ({}),
    };
    await expect(ensureNamespace(core, 'my-app', signal)).rejects.toThrow('cannot read namespace my-app: namespaces "my-app" is forbidden');
  });

  it('counts a namespace as deleted once it is gone, or is no longer Terminating', () => {
    expect(deletionProgress(undefined).state).toBe('done');
    expect(deletionProgress(active).state).toBe('done');
    expect(deletionProgress(terminating)).toEqual({ state: 'waiting', status: 'still Terminating; Some resources are remaining: pods. has 2 resource instances' });
  });
});

// The stack's namespace. Whatever goes into it (the sample stack, the user's
// manifests, or both) it gets restricted Pod Security, and it is made when
// the stack is deployed and it is not there. Deleting it is the stack's undo
// (teardown.ts), so making it needs no revert of its own.
import { stringify } from 'yaml';
import { InfraError } from '../errors.ts';
import type { Kubectl } from './kubectl.ts';

/** Marks what shakedown made, so teardown never deletes a namespace of the user's. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

export function stackNamespace(name: string): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest', [MANAGED_BY_LABEL]: 'shakedown' },
    },
  };
}

/**
 * Makes the namespace unless it exists. One an earlier run is still
 * deleting is waited out first (a reused cluster); one that is there and
 * active is left as it is, labels included.
 */
export async function ensureNamespace(kubectl: Kubectl, name: string): Promise<'created' | 'present'> {
  const phase = await kubectl(['get', 'namespace', name, '--ignore-not-found', '-o', 'jsonpath={.status.phase}']);
  if (phase.exitCode !== 0) throw new InfraError(`cannot read namespace ${name}: ${(phase.stderr || phase.stdout).trim()}`);
  const state = phase.stdout.trim();
  if (state === 'Terminating') {
    const waited = await kubectl(['wait', '--for=delete', `namespace/${name}`, '--timeout=180s']);
    if (waited.exitCode !== 0) throw new InfraError(`namespace ${name} is still being deleted (by an earlier run?) after 3 minutes: ${(waited.stderr || waited.stdout).trim()}`);
  } else if (state) {
    return 'present';
  }
  const created = await kubectl(['create', '-f', '-'], stringify(stackNamespace(name)));
  // Made meanwhile by someone else: it exists, which is all the stack needs.
  if (created.exitCode !== 0 && !/AlreadyExists/.test(created.stderr)) throw new InfraError(`cannot create namespace ${name}: ${(created.stderr || created.stdout).trim()}`);
  return 'created';
}

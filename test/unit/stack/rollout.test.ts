// The stack's wait for its deployments: rolled out, or a failure that shows
// the namespace's pods (what `kubectl get pods -o wide` used to add).
import { ApiException, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deploymentNames, type StackApi, waitForRollout } from '../../../src/stack/rollout.ts';

const stuck: V1Deployment = { metadata: { name: 'backend', generation: 1 }, spec: { replicas: 2, selector: {}, template: {} }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0 } };
const done: V1Deployment = { ...stuck, status: { ...stuck.status, availableReplicas: 2 } };
const pending: V1Pod = {
  metadata: { name: 'backend-7c9-x2x4q' },
  spec: { containers: [{ name: 'agent' }] },
  status: { phase: 'Pending', containerStatuses: [{ name: 'agent', image: 'agent', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] },
};

function fakeApi(deployment: () => V1Deployment, pods: () => V1Pod[]): StackApi {
  return {
    apps: {
      readNamespacedDeployment: async () => deployment(),
      listNamespacedDeployment: async () => ({ items: [{ metadata: { name: 'backend' } }, { metadata: { name: 'frontend' } }] }),
    },
    core: { listNamespacedPod: async () => ({ items: pods() }) },
  };
}

const signal = new AbortController().signal;

describe('waiting for a stack deployment', () => {
  it('returns once it is rolled out', async () => {
    let reads = 0;
    await waitForRollout(
      fakeApi(
        () => (++reads < 3 ? stuck : done),
        () => [],
      ),
      'shop',
      'backend',
      signal,
      { timeoutMs: 5000, pollMs: 1 },
    );
    expect(reads).toBe(3);
  });

  it('fails with where the rollout stood and the namespace’s pods, which say why', async () => {
    const failure = waitForRollout(
      fakeApi(
        () => stuck,
        () => [pending],
      ),
      'shop',
      'backend',
      signal,
      { timeoutMs: 30, pollMs: 5 },
    );
    await expect(failure).rejects.toThrow(
      [
        'deployment backend did not become ready: timed out after 0.03s: Waiting for deployment "backend" rollout to finish: 0 of 2 updated replicas are available...',
        'NAME                READY   STATUS             RESTARTS   NODE',
        'backend-7c9-x2x4q   0/1     ImagePullBackOff   0          <none>',
      ].join('\n'),
    );
  });

  it('fails at once for a deployment that is not there, and says so when the pods cannot be listed either', async () => {
    const api = fakeApi(
      () => {
        throw new ApiException(404, 'Unknown API Status Code!', { message: 'deployments.apps "web" not found' }, {});
      },
      () => {
        throw new ApiException(403, 'Unknown API Status Code!', { message: 'pods is forbidden' }, {});
      },
    );
    await expect(waitForRollout(api, 'shop', 'web', signal, { timeoutMs: 5000, pollMs: 1 })).rejects.toThrow(
      'deployment web did not become ready: deployments.apps "web" not found\n(the pods of namespace shop could not be listed: pods is forbidden)',
    );
  });

  it('lists every deployment of the namespace when the scenario names none', async () => {
    expect(
      await deploymentNames(
        fakeApi(
          () => done,
          () => [],
        ),
        'shop',
        signal,
      ),
    ).toEqual(['backend', 'frontend']);
  });
});

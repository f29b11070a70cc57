// When a rollout is finished (kubectl's rules for `rollout status`), and the
// wait that polls for it: done, timed out with the last status, failed at once.
import { ApiException, type V1DaemonSet, type V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { daemonSetProgress, deploymentProgress, RESTARTED_AT_ANNOTATION, restartDeployment, waitForDeployment } from '../../../src/kube/rollout.ts';
import { describeFailure, waitUntil } from '../../../src/kube/wait.ts';

function deployment(spec: { replicas?: number; generation?: number }, status: V1Deployment['status'] = {}): V1Deployment {
  return { metadata: { name: 'web', generation: spec.generation ?? 2 }, spec: { replicas: spec.replicas ?? 3, selector: {}, template: {} }, status: { observedGeneration: 2, ...status } };
}

describe('a Deployment rollout', () => {
  it('is finished once every replica is updated, no old one is left and the updated ones are available', () => {
    expect(deploymentProgress(deployment({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toEqual({ state: 'done', status: 'deployment "web" successfully rolled out' });
  });

  it('waits, saying for what, as kubectl does', () => {
    const status = (d: V1Deployment) => deploymentProgress(d).status;
    expect(status(deployment({ generation: 3 }, { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toBe('Waiting for deployment "web" spec update to be observed...');
    expect(status(deployment({}, { replicas: 3, updatedReplicas: 1, availableReplicas: 1 }))).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(status(deployment({}, { replicas: 4, updatedReplicas: 3, availableReplicas: 3 }))).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(status(deployment({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 }))).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
    expect(deploymentProgress(deployment({}, { replicas: 3, updatedReplicas: 1 })).state).toBe('waiting');
  });

  it('counts a missing spec.replicas as 1, and a fresh object with no status yet as not rolled out', () => {
    const one: V1Deployment = { metadata: { name: 'web', generation: 1 }, spec: { selector: {}, template: {} }, status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 } };
    expect(deploymentProgress(one).state).toBe('done');
    expect(deploymentProgress({ metadata: { name: 'web', generation: 1 }, spec: { selector: {}, template: {} } }).state).toBe('waiting');
  });

  it('scaled to zero is rolled out', () => {
    expect(deploymentProgress(deployment({ replicas: 0 }, {})).state).toBe('done');
  });

  it('has failed once the controller gives up on its progress deadline', () => {
    const stuck = deployment({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(deploymentProgress(stuck)).toEqual({ state: 'failed', status: 'deployment "web" exceeded its progress deadline' });
  });
});

describe('a DaemonSet rollout', () => {
  const daemonSet = (status: { desiredNumberScheduled: number; updatedNumberScheduled: number; numberAvailable: number }, generation = 1): V1DaemonSet => ({
    metadata: { name: 'kindnet', generation },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, observedGeneration: 1, ...status },
  });

  it('is finished once a pod of the current template runs available on every node that should have one', () => {
    expect(daemonSetProgress(daemonSet({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }))).toEqual({ state: 'done', status: 'daemon set "kindnet" successfully rolled out' });
  });

  it('waits for updated pods, then available ones, then an observed spec', () => {
    expect(daemonSetProgress(daemonSet({ desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2 })).status).toBe('Waiting for daemon set "kindnet" rollout to finish: 2 out of 3 new pods have been updated...');
    expect(daemonSetProgress(daemonSet({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 1 })).status).toBe('Waiting for daemon set "kindnet" rollout to finish: 1 of 3 updated pods are available...');
    expect(daemonSetProgress(daemonSet({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }, 2)).status).toBe('Waiting for daemon set "kindnet" spec update to be observed...');
  });
});

describe('waiting', () => {
  const signal = new AbortController().signal;

  it('reads until the judge says done', async () => {
    let reads = 0;
    const outcome = await waitUntil(
      async () => ++reads,
      (n) => ({ state: n >= 3 ? 'done' : 'waiting', status: `read ${n}` }),
      { timeoutMs: 5000, signal, pollMs: 1 },
    );
    expect(outcome).toEqual({ done: true });
    expect(reads).toBe(3);
  });

  it('times out with the last status seen', async () => {
    const outcome = await waitUntil(
      async () => 0,
      () => ({ state: 'waiting', status: '1 of 2 updated replicas are available' }),
      { timeoutMs: 50, signal, pollMs: 5 },
    );
    expect(outcome).toEqual({ done: false, timedOut: true, why: '1 of 2 updated replicas are available' });
    expect(describeFailure(outcome as { timedOut: boolean; why: string }, 180_000)).toBe('timed out after 180s: 1 of 2 updated replicas are available');
  });

  it('fails at once when what it waits for is not there, in the API’s words', async () => {
    let reads = 0;
    const missing = async () => {
      reads++;
      throw new ApiException(404, 'Unknown API Status Code!', { message: 'deployments.apps "web" not found' }, {});
    };
    expect(await waitUntil(missing, () => ({ state: 'done', status: '' }), { timeoutMs: 5000, signal, pollMs: 1 })).toEqual({ done: false, timedOut: false, why: 'deployments.apps "web" not found' });
    expect(reads).toBe(1);
  });

  it('reads again after a blip, and says what the API said when the blips outlast it', async () => {
    let reads = 0;
    const flaky = async () => {
      if (++reads < 3) throw new ApiException(503, 'Unknown API Status Code!', { message: 'the server is currently unable to handle the request' }, {});
      return reads;
    };
    expect(await waitUntil(flaky, () => ({ state: 'done', status: '' }), { timeoutMs: 5000, signal, pollMs: 1 })).toEqual({ done: true });
    const down = async () => {
      throw new ApiException(503, 'Unknown API Status Code!', { message: 'the server is currently unable to handle the request' }, {});
    };
    expect(await waitUntil(down, () => ({ state: 'done', status: '' }), { timeoutMs: 30, signal, pollMs: 5 })).toEqual({ done: false, timedOut: true, why: 'the server is currently unable to handle the request' });
  });

  it('rethrows the reason when the caller aborts, rather than reporting a timeout', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 20);
    await expect(
      waitUntil(
        async () => 0,
        () => ({ state: 'waiting', status: '' }),
        { timeoutMs: 5000, signal: controller.signal, pollMs: 5 },
      ),
    ).rejects.toThrow('interrupted');
  });

  it('waits for a named deployment through the API', async () => {
    const reads: string[] = [];
    const apps = {
      readNamespacedDeployment: async ({ namespace, name }: { namespace: string; name: string }) => {
        reads.push(`${namespace}/${name}`);
        return deployment({}, reads.length < 2 ? { replicas: 3, updatedReplicas: 3, availableReplicas: 2 } : { replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
      },
    };
    expect(await waitForDeployment(apps, 'shop', 'web', { timeoutMs: 5000, signal, pollMs: 1 })).toEqual({ done: true });
    expect(reads).toEqual(['shop/web', 'shop/web']);
  });
});

describe('restarting a deployment', () => {
  it('changes only the pod template’s restartedAt annotation, with a strategic merge patch', async () => {
    const patches: Array<{ namespace: string; name: string; body: unknown }> = [];
    const apps = {
      patchNamespacedDeployment: async (param: { namespace: string; name: string; body: unknown }) => {
        patches.push(param);
        return {};
      },
    };
    await restartDeployment(apps, 'kube-system', 'coredns', new AbortController().signal, new Date('2025-01-02T03:04:05Z'));
    expect(patches).toEqual([{ namespace: 'kube-system', name: 'coredns', body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: '2025-01-02T03:04:05.000Z' } } } } } }]);
  });
});

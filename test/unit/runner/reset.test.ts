import { describe, expect, it } from 'vitest';
import { describeReset, resetCluster, type Leftovers } from '../../../src/runner/reset.ts';
import { FakeKube } from '../../support/fakes.ts';

/** A clock that moves only when the reset sleeps; `onSleep` plays what the cluster does meanwhile. */
function clock(onSleep: (slept: number) => void = () => {}) {
  let t = 0;
  let sleeps = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      onSleep(++sleeps);
    },
  };
}

function kindCluster(): FakeKube {
  const kube = new FakeKube(['cp', 'w1', 'w2', 'spare']);
  kube.node('cp').taints = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  kube.node('spare').taints = [{ key: 'shakedown.dev/spare', value: 'true', effect: 'NoSchedule' }];
  kube.namespaces = [{ name: 'kube-system', labels: {}, terminating: false }];
  return kube;
}

describe('resetCluster', () => {
  it('a clean cluster: nothing found, the control plane and spare keep their own taints', async () => {
    const kube = kindCluster();
    const report = await resetCluster({ kube, ...clock() });
    expect(report).toMatchObject({ clean: true, found: [], repaired: [], waited: [], problems: [] });
    expect(kube.node('spare').taints).toHaveLength(1);
    expect(describeReset(report)).toBe('reset in 0.0 s: found nothing left behind');
  });

  it('reverts what the previous run left in its ledger before judging the nodes', async () => {
    const kube = kindCluster();
    kube.node('w1').unschedulable = true;
    kube.node('w1').taints = [{ key: 'shakedown.dev/spot-interruption', value: 'true', effect: 'NoSchedule' }];
    const leftovers: Leftovers = {
      pending: ['run 20250602-spot-drain-ab12: restore node w1'],
      revert: async () => {
        kube.node('w1').unschedulable = false;
        kube.node('w1').taints = [];
        return { reverted: ['restore node w1'], failed: [] };
      },
    };
    const report = await resetCluster({ kube, leftovers, ...clock() });
    expect(report.clean).toBe(true);
    expect(report.found).toEqual(['left applied: run 20250602-spot-drain-ab12: restore node w1']);
    expect(report.repaired).toEqual(['reverted: restore node w1']);
  });

  it('names a node left cordoned and a shakedown taint no ledger knew of, and takes them off', async () => {
    const kube = kindCluster();
    kube.node('w2').unschedulable = true;
    kube.node('w2').taints = [{ key: 'shakedown.dev/spot-interruption', value: 'true', effect: 'NoSchedule' }];
    const report = await resetCluster({ kube, ...clock() });
    expect(report.clean).toBe(true);
    expect(report.found).toEqual(['node w2 left cordoned', 'node w2 left tainted shakedown.dev/spot-interruption=true:NoSchedule']);
    expect(report.repaired).toEqual(['uncordoned w2', 'removed taint shakedown.dev/spot-interruption from w2']);
    expect(kube.node('w2')).toMatchObject({ unschedulable: false, taints: [] });
  });

  it('waits for a restarted node to be Ready and for the stack namespace to finish terminating', async () => {
    const kube = kindCluster();
    kube.node('w1').ready = false;
    kube.namespaces.push({ name: 'shakedown-stack', labels: { 'app.kubernetes.io/managed-by': 'shakedown' }, terminating: true });
    const time = clock((n) => {
      if (n === 2) kube.node('w1').ready = true;
      if (n === 3) kube.namespaces = kube.namespaces.filter((ns) => ns.name !== 'shakedown-stack');
    });
    const report = await resetCluster({ kube, pollMs: 5_000, ...time });
    expect(report.clean).toBe(true);
    expect(report.found).toEqual([]);
    expect(report.waited).toEqual(['node w1 Ready again after 10 s', 'namespace shakedown-stack gone after 15 s']);
    expect(report.tookMs).toBe(15_000);
  });

  it('deletes a probe namespace left active, then waits until it is gone', async () => {
    const kube = kindCluster();
    kube.namespaces.push({ name: 'shakedown-probe-a', labels: {}, terminating: false }, { name: 'team-app', labels: {}, terminating: false });
    const report = await resetCluster({ kube, ...clock((n) => n === 1 && (kube.namespaces = kube.namespaces.filter((ns) => ns.name !== 'shakedown-probe-a'))) });
    expect(kube.deletedNamespaces).toEqual(['shakedown-probe-a']);
    expect(report).toMatchObject({ clean: true, found: ['namespace shakedown-probe-a left behind'], repaired: ['deleted namespace shakedown-probe-a'] });
  });

  it('is not clean when a node never comes back, a revert fails, or a taint is not ours; says each', async () => {
    const kube = kindCluster();
    kube.node('w2').ready = false;
    kube.node('w1').taints = [{ key: 'example.com/maintenance', effect: 'NoExecute' }];
    const leftovers: Leftovers = { pending: ['run r1: heal partition of w2'], revert: async () => ({ reverted: [], failed: ['heal partition of w2: exec failed'] }) };
    const report = await resetCluster({ kube, leftovers, timeoutMs: 60_000, pollMs: 10_000, ...clock() });
    expect(report.clean).toBe(false);
    expect(report.problems).toEqual(['revert failed: heal partition of w2: exec failed', 'node w2 not Ready after 60 s', "node w1 has taint example.com/maintenance:NoExecute, which is not shakedown's: left as it is"]);
    expect(kube.node('w1').taints).toHaveLength(1);
    expect(describeReset(report)).toContain('still wrong: revert failed: heal partition of w2');
  });
});

import { describe, expect, it } from 'vitest';
import { defaultRegistries } from '../../../src/registries.ts';
import { aimProblems } from '../../../src/runner/aim-check.ts';
import type { PlannedFault } from '../../../src/scenario/model.ts';
import { FakeKube } from '../../support/fakes.ts';

const pod = (name: string, labels: Record<string, string>) => ({ namespace: 'shop', name, labels, ready: true, deleting: false, mirror: false, phase: 'Running', nodeName: 'w1' });
const fault = (id: string, type: string, params: object): PlannedFault => ({ id, type, at: 0, params, assert: [] }) as unknown as PlannedFault;

function cluster(): FakeKube {
  const kube = new FakeKube(['cp', 'kind-worker', 'kind-worker2']);
  kube.pods = [pod('backend-1', { app: 'backend' }), pod('frontend-1', { app: 'frontend' })];
  return kube;
}

describe('what the faults aim at, checked before any fault', () => {
  it('passes a selector that matches a pod and nodes that exist', async () => {
    const faults = [fault('kill', 'pod-kill', { selector: 'app=backend', maxKills: 10 }), fault('stop', 'node-stop', { nodes: ['kind-worker'], count: 1 })];
    expect(await aimProblems(faults, defaultRegistries, cluster(), 'shop')).toEqual([]);
  });

  it('names the field of a selector that matches nothing, and the nearest label that exists', async () => {
    const faults = [fault('other', 'node-restart', { count: 1 }), fault('kill', 'pod-kill', { selector: 'app=backnd', maxKills: 10 })];
    expect(await aimProblems(faults, defaultRegistries, cluster(), 'shop')).toEqual(['fault kill (faults[1].params.selector): app=backnd matches no pod in shop; did you mean app=backend?']);
  });

  it('says when the namespace it looks in has no pods at all', async () => {
    const faults = [fault('loss', 'packet-loss', { selector: 'app=web', namespace: 'elsewhere', probability: 0.5 })];
    expect(await aimProblems(faults, defaultRegistries, cluster(), 'shop')).toEqual(['fault loss (faults[0].params.selector): app=web matches no pod in elsewhere (elsewhere has no pods)']);
  });

  it('names a node that is not there, the nearest that is, and the nodes there are', async () => {
    const faults = [fault('cut', 'network-partition', { nodes: ['kind-worker3'] }), fault('reclaim', 'spot-drain', { node: 'kind-wroker', provider: 'aws' })];
    expect(await aimProblems(faults, defaultRegistries, cluster(), 'shop')).toEqual([
      'fault cut (faults[0].params.nodes): no node named kind-worker3; did you mean kind-worker? (nodes: cp, kind-worker, kind-worker2)',
      'fault reclaim (faults[1].params.node): no node named kind-wroker; did you mean kind-worker? (nodes: cp, kind-worker, kind-worker2)',
    ]);
  });
});

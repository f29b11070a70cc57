// The never-ready variant's pin node: chosen by what the API says a node is
// for, the same one every time, and never a node's name pattern.
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { SPARE_LABEL } from '../../../src/core/node-roles.ts';
import { CONTROL_PLANE_LABEL } from '../../../src/kube/nodes.ts';
import { pinBackend, pinNodeOf } from '../../../src/stack/pin-node.ts';
import { PIN_LABEL } from '../../../src/stack/sample.ts';

const node = (name: string, labels: Record<string, string> = {}): V1Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } });
const controlPlane = (name: string) => node(name, { [CONTROL_PLANE_LABEL]: '' });
const spare = (name: string) => node(name, { [SPARE_LABEL]: 'spare' });

describe('the pin node', () => {
  it('is a worker: never the control plane, never a spare, whatever they are called', () => {
    expect(pinNodeOf([controlPlane('a-worker'), spare('b-worker'), node('c-spare')])).toBe('c-spare');
  });

  it('is the first worker by name, whatever order the API lists them in', () => {
    const workers = [node('pool-3'), node('pool-1'), node('pool-2')];
    expect(pinNodeOf(workers)).toBe('pool-1');
    expect(pinNodeOf([...workers].reverse())).toBe('pool-1');
  });

  it('is none on a cluster with only a control plane and spares', () => {
    expect(pinNodeOf([controlPlane('cp'), spare('spare-1')])).toBeUndefined();
    expect(pinNodeOf([])).toBeUndefined();
  });
});

describe('pinning the backend', () => {
  function fakeCore(nodes: V1Node[]) {
    const patches: Array<{ name: string; body: unknown }> = [];
    const core = {
      listNode: async () => ({ items: nodes }),
      patchNode: async (param: { name: string; body: unknown }) => {
        patches.push(param);
        return {};
      },
    };
    return { core, patches };
  }

  it('labels the chosen node, and only it', async () => {
    const { core, patches } = fakeCore([controlPlane('kind-control-plane'), node('kind-worker2'), node('kind-worker'), spare('kind-worker3')]);
    expect(await pinBackend(core, new AbortController().signal)).toBe('kind-worker');
    expect(patches).toEqual([{ name: 'kind-worker', body: { metadata: { labels: { [PIN_LABEL]: 'true' } } } }]);
  });

  it('fails plainly when there is no worker to pin to', async () => {
    const { core, patches } = fakeCore([controlPlane('cp')]);
    await expect(pinBackend(core, new AbortController().signal)).rejects.toThrow('the never-ready variant needs a worker node');
    expect(patches).toEqual([]);
  });
});

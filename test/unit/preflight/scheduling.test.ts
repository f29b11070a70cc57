// The pieces the simulation stands on: quantities, selectors, tolerations,
// the pod's effective requests, and the fit of one pod on one node.
import { describe, expect, it } from 'vitest';
import { findPlacement, describeMisfits } from '../../../src/preflight/fit.ts';
import { podRequests } from '../../../src/preflight/from-api.ts';
import { Occupancy } from '../../../src/preflight/occupancy.ts';
import { parseQuantity, resourceAmount } from '../../../src/core/quantity.ts';
import { selects } from '../../../src/core/label-selector.ts';
import { matchesNodeTerms, tolerates } from '../../../src/preflight/selectors.ts';
import { node, pod } from './fixtures.ts';

describe('quantities', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
    ['64Mi', 64 * 2 ** 20],
    ['1G', 1e9],
    ['2e3', 2000],
    ['1Gi', 2 ** 30],
    ['bogus', NaN],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it('keeps cpu in millicores', () => {
    expect(resourceAmount('cpu', '1.5')).toBe(1500);
    expect(resourceAmount('cpu', '250m')).toBe(250);
    expect(resourceAmount('memory', '1Ki')).toBe(1024);
  });
});

describe('selectors and tolerations', () => {
  it.each([
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, { tier: 'b' }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, {}, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, {}, true],
    [{}, { any: 'thing' }, true],
  ])('%j selects %j: %s', (selector, labels, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });

  it('matches required node affinity terms: ORed terms, ANDed requirements, Gt and metadata.name', () => {
    const n = { name: 'n1', labels: { zone: 'a', cores: '8' } };
    expect(matchesNodeTerms([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }], n)).toBe(true);
    expect(
      matchesNodeTerms(
        [
          {
            matchExpressions: [
              { key: 'zone', operator: 'In', values: ['a'] },
              { key: 'cores', operator: 'Lt', values: ['4'] },
            ],
          },
        ],
        n,
      ),
    ).toBe(false);
    expect(matchesNodeTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }], n)).toBe(true);
    expect(matchesNodeTerms([{}], n)).toBe(false);
  });

  it.each([
    [{ key: 'spot', operator: 'Exists' as const }, true],
    [{ key: 'spot', operator: 'Equal' as const, value: 'true' }, true],
    [{ key: 'spot', operator: 'Equal' as const, value: 'false' }, false],
    [{ key: 'spot', operator: 'Exists' as const, effect: 'NoExecute' }, false],
    [{ operator: 'Exists' as const }, true],
  ])('toleration %j tolerates spot=true:NoSchedule: %s', (toleration, expected) => {
    expect(tolerates([toleration], { key: 'spot', value: 'true', effect: 'NoSchedule' })).toBe(expected);
  });
});

describe('effective pod requests', () => {
  it('takes the larger of the containers and the biggest init container, adds sidecars, overhead and a pod slot', () => {
    const requests = podRequests({
      containers: [
        { name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'b', resources: { requests: { cpu: '200m' } } },
      ],
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
        { name: 'migrate', resources: { requests: { cpu: '1', memory: '32Mi' } } },
      ],
      overhead: { cpu: '10m' },
    });
    // Running: 300m + 50m sidecar = 350m; init peak: 1000m + 50m sidecar = 1050m; plus 10m overhead.
    expect(requests).toEqual({ cpu: 1060, memory: 64 * 2 ** 20, pods: 1 });
  });
});

describe('fit of one pod', () => {
  it('picks the least allocated node that fits, and names each misfit when none does', () => {
    const nodes = [node('a', { cpu: 2 }), node('b', { cpu: 2 }), node('c', { cpu: 8, taints: [{ key: 'gpu', effect: 'NoSchedule' }] })];
    const occupancy = new Occupancy(nodes, [pod('busy-0', 'a', { cpu: 1.5 })]);
    const up = new Set(nodes.map((n) => n.name));
    expect(findPlacement(pod('new-0', undefined, { cpu: 0.5 }), up, { occupancy })).toEqual({ node: 'b' });
    const none = findPlacement(pod('big-0', undefined, { cpu: 3 }), up, { occupancy });
    expect('misfits' in none && describeMisfits(none.misfits)).toBe('a, b: insufficient cpu: needs 3000m, 2000m free at most; c: taint gpu:NoSchedule not tolerated');
  });
});

import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearestName } from '../../../src/scenario/suggest.ts';

const faultTypes = ['network-partition', 'node-restart', 'node-stop', 'pod-kill', 'spot-drain'];

describe('name suggestions', () => {
  it.each([
    ['spot-drain', 'spot-drain', 0],
    ['spot-drian', 'spot-drain', 1], // two neighbours swapped: one typo
    ['faultz', 'faults', 1],
    ['nodee', 'node', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('editDistance(%j, %j) = %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });

  it('suggests the nearest known name for a typo', () => {
    expect(nearestName('spot-drian', faultTypes)).toBe('spot-drain');
    expect(nearestName('pod-kil', faultTypes)).toBe('pod-kill');
    expect(nearestName('Node-Stop', faultTypes)).toBe('node-stop');
  });

  it('suggests nothing when no known name is near enough to be a typo', () => {
    expect(nearestName('meteor-strike', faultTypes)).toBeUndefined();
    expect(nearestName('ab', ['xy'])).toBeUndefined();
    expect(nearestName('anything', [])).toBeUndefined();
  });

  it('prefers the closer of two candidates', () => {
    expect(nearestName('node-stob', ['node-stop', 'node-sto'])).toBe('node-stop');
    expect(nearestName('clustr', ['clusters', 'cluster'])).toBe('cluster');
  });

  it('words the hint for a message', () => {
    expect(didYouMean('spot-drian', faultTypes)).toBe(': did you mean "spot-drain"?');
    expect(didYouMean('meteor-strike', faultTypes)).toBe('');
  });
});

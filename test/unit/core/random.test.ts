import { describe, expect, it } from 'vitest';
import { newSeed, seededRandom } from '../../../src/core/random.ts';

describe('seeded choices', () => {
  it('the same seed and stream give the same order, on every call site', () => {
    const items = Array.from({ length: 20 }, (_, i) => `pod-${i}`);
    expect(seededRandom(42, 'kill').shuffle(items)).toEqual(seededRandom(42, 'kill').shuffle(items));
    expect(seededRandom(42, 'kill').shuffle(items)).not.toEqual(items);
  });

  it('another seed, or another fault’s stream, gives another order', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const base = seededRandom(42, 'kill').shuffle(items);
    expect(seededRandom(43, 'kill').shuffle(items)).not.toEqual(base);
    expect(seededRandom(42, 'partition').shuffle(items)).not.toEqual(base);
  });

  it('draws evenly enough: each of 4 items comes first about a quarter of the time', () => {
    const firsts = new Map<string, number>();
    for (let seed = 1; seed <= 4000; seed++) {
      const first = seededRandom(seed, 'f').shuffle(['a', 'b', 'c', 'd'])[0]!;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    for (const item of ['a', 'b', 'c', 'd']) expect(firsts.get(item)).toBeGreaterThan(850);
  });

  it('fresh seeds are whole numbers --seed accepts', () => {
    const seed = newSeed();
    expect(Number.isInteger(seed) && seed >= 1 && seed < 2 ** 31).toBe(true);
  });
});

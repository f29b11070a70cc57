// Every choice shakedown makes by chance (which pods a pod-kill takes) comes
// from one seed, so a run can be replayed with `--seed`. Node choices are not
// by chance at all (the busiest worker, the first by name), so they replay
// without one. Each fault draws from its own stream (the seed and
// its id), so adding a fault leaves the others' choices as they were. What
// the cluster decides (the scheduler's placements) is not ours to replay.
import { randomInt } from 'node:crypto';

export interface Random {
  /** A new array, in an order drawn from this stream. */
  shuffle<T>(items: readonly T[]): T[];
}

/** A fresh seed for a run that was not given one. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31);
}

/** FNV-1a: a stream name to 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number, stream = ''): Random {
  let state = (seed ^ hash(stream)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
  };
}

// The house, checked from the code's own imports: each room imports only
// rooms on a lower floor, kind stays behind the provider, nothing imports
// the CLI. A new import that runs back up fails here, naming the file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

/** Floors, ground first. A room is a path prefix under src/; the longest prefix names a file's room. */
const FLOORS: string[][] = [
  ['errors.ts'],
  ['core/', 'tools/'],
  ['kube/', 'clusters/cni/'],
  ['scenario/', 'netpol/', 'history/'],
  ['clusters/', 'report/'],
  ['clusters/kind/', 'preflight/'],
  ['clusters/existing/', 'stack/'],
  ['clusters/providers.ts', 'load/'],
  ['faults/', 'assertions/'],
  ['runner/'],
  ['registries.ts'],
  ['cli/'],
  ['index.ts'],
];

/**
 * Rooms only some may enter, whatever their floor: kind's details stay behind
 * the provider registry and the CLI's cluster commands. The existing provider
 * loads images the kind way into nodes that are local containers (a kind
 * cluster the user made), and only that.
 */
const PRIVATE: Record<string, string[]> = {
  'clusters/kind/': ['clusters/kind/', 'clusters/providers.ts', 'clusters/existing/', 'cli/'],
};

const rooms = FLOORS.flatMap((rooms, floor) => rooms.map((room) => ({ room, floor })));

function roomOf(path: string): { room: string; floor: number } {
  const found = rooms.filter((r) => (r.room.endsWith('/') ? path.startsWith(r.room) : path === r.room)).sort((a, b) => b.room.length - a.room.length)[0];
  if (!found) throw new Error(`src/${path} is in no room: add its folder to FLOORS`);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Relative imports, static and dynamic, as paths under src/. */
function importsOf(file: string, text: string): string[] {
  const specs = [...text.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]!);
  return specs.map((spec) => normalize(join(dirname(file), spec)));
}

function violations(): string[] {
  const src = join(ROOT, 'src');
  const found: string[] = [];
  for (const abs of sourceFiles(src)) {
    const file = relative(src, abs);
    const from = roomOf(file);
    for (const target of importsOf(file, readFileSync(abs, 'utf8'))) {
      if (target.startsWith('..')) continue;
      const to = roomOf(target);
      if (to.room === from.room) continue;
      if (to.floor >= from.floor) found.push(`src/${file} (${from.room}, floor ${from.floor}) imports src/${target} (${to.room}, floor ${to.floor})`);
      const allowed = PRIVATE[to.room];
      if (allowed && !allowed.some((r) => (r.endsWith('/') ? file.startsWith(r) : file === r))) found.push(`src/${file} imports src/${target}: ${to.room} is private to ${allowed.join(', ')}`);
    }
  }
  return found;
}

describe('the house', () => {
  it('every room imports only rooms below it, and kind stays behind the provider', () => {
    expect(violations()).toEqual([]);
  });

  it('reads static, type and dynamic imports, and so would catch a report importing the runner', () => {
    const text = "import type { RunEvent } from '../runner/events.ts';\nconst { x } = await import('../runner/run.ts');\nexport { y } from './y.ts';\nconst s = 'from \"../cli/main.ts\"';";
    const found = importsOf('report/json.ts', text);
    expect(found).toEqual(['runner/events.ts', 'runner/run.ts', 'report/y.ts']);
    expect(found.map((f) => roomOf(f).floor)).toEqual([9, 9, 4]);
    expect(roomOf('report/json.ts').floor).toBeLessThan(roomOf('runner/events.ts').floor);
  });
});

// Where shakedown finds its tools: the project-local bin directory that
// `task tools` fills first, then PATH. Builds are cached outside the clone.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const TOOLS_BIN = join(PROJECT_ROOT, '.tools', 'bin');

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHAKEDOWN_CACHE ?? join(homedir(), '.cache', 'shakedown');
}

/** The project-local copy of a tool when there is one, else its bare name (PATH). */
export function toolPath(name: string): string {
  const local = join(TOOLS_BIN, name);
  return existsSync(local) ? local : name;
}

// Where shakedown finds its tools: the project-local bin directory that
// `task tools` fills first, then PATH. Builds are cached outside the clone.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const TOOLS_BIN = join(PROJECT_ROOT, '.tools', 'bin');

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHAKEDOWN_CACHE ?? join(homedir(), '.cache', 'shakedown');
}

/** Where administrative tools (iptables, sysctl) live: a non-root user's PATH often lacks these. */
export const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/**
 * The project-local copy of a tool when there is one; else its bare name when
 * PATH has it; else its copy in an sbin directory; else the bare name, so
 * the failure says "command not found" with the tool's name.
 */
export function toolPath(name: string, options: { path?: string; sbinDirs?: string[]; toolsBin?: string } = {}): string {
  const local = join(options.toolsBin ?? TOOLS_BIN, name);
  if (existsSync(local)) return local;
  const path = (options.path ?? process.env.PATH ?? '').split(delimiter).filter(Boolean);
  if (path.some((dir) => existsSync(join(dir, name)))) return name;
  const sbin = (options.sbinDirs ?? SBIN_DIRS).map((dir) => join(dir, name)).find((file) => existsSync(file));
  return sbin ?? name;
}

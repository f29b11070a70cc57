// Version pins live in one place, clusters/build/versions.env, shared by the
// build scripts and the TypeScript side.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.ts';

export type Pins = Record<string, string>;

export function parseEnvFile(text: string): Pins {
  const pins: Pins = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(.*?)\s*$/.exec(line);
    if (match) pins[match[1]!] = match[2]!.replace(/^["']|["']$/g, '');
  }
  return pins;
}

let cached: Pins | undefined;
export function pins(): Pins {
  cached ??= parseEnvFile(readFileSync(join(PROJECT_ROOT, 'clusters', 'build', 'versions.env'), 'utf8'));
  return cached;
}

export function pin(name: string): string {
  const value = pins()[name];
  if (!value) throw new Error(`clusters/build/versions.env has no ${name}`);
  return value;
}

// Install sources of the CNIs that pull their images from public registries
// (Calico's manifest, Cilium's Helm chart), pinned by the sha256 of their
// bytes: a file that changed upstream is refused, and a verified copy is
// cached outside the clone so later clusters need no download.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InfraError } from '../../errors.ts';
import { cacheDir, PROJECT_ROOT } from '../../tools/paths.ts';

export interface SourcePins {
  /** The pins file, relative to the project, for messages. */
  file: string;
  version: string;
  source: { url: string; sha256: string };
  /** Extra settings the CNI's installer reads (Helm values, for Cilium). */
  values?: Record<string, string>;
}

export function readPins(cni: string): SourcePins {
  const file = join('clusters', 'cni', `${cni}.yaml`);
  const pins = parse(readFileSync(join(PROJECT_ROOT, file), 'utf8')) as Omit<SourcePins, 'file'>;
  for (const [field, ok] of [
    ['version', typeof pins.version === 'string'],
    ['source.url', /^https:\/\//.test(pins.source?.url ?? '')],
    ['source.sha256', /^[0-9a-f]{64}$/.test(pins.source?.sha256 ?? '')],
  ] as const) {
    if (!ok) throw new InfraError(`${file}: ${field}: missing or malformed`);
  }
  return { ...pins, file };
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The pinned file's path in the cache: reused when its bytes match, else downloaded and checked. */
export async function fetchPinned(pins: SourcePins, signal: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = join(cacheDir(env), 'cni');
  const cached = join(dir, `${pins.source.sha256}-${pins.source.url.replace(/^.*\//, '')}`);
  if (existsSync(cached) && sha256(readFileSync(cached)) === pins.source.sha256) return cached;
  let body: Buffer;
  try {
    const response = await fetch(pins.source.url, { signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new InfraError(`${pins.file}: cannot download ${pins.source.url} (${(error as Error).message}); this CNI needs a machine that reaches its release files and image registries`);
  }
  const got = sha256(body);
  if (got !== pins.source.sha256) throw new InfraError(`${pins.file}: ${pins.source.url} has sha256 ${got}, pinned ${pins.source.sha256}; refusing a file that changed`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(cached, body);
  return cached;
}

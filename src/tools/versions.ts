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

export interface MinorPins {
  etcdImageTag: string;
  coredns: string;
  pause: string;
}

/** The etcd, CoreDNS and pause that kubeadm of this version's minor expects (versions.env K8S_1_35_*); undefined for a minor the build does not know. */
export function minorPins(version: string): MinorPins | undefined {
  const minor = /^v?(\d+)\.(\d+)\./.exec(version);
  if (!minor) return undefined;
  const prefix = `K8S_${minor[1]}_${minor[2]}_`;
  const all = pins();
  const [etcdImageTag, coredns, pause] = ['ETCD_IMAGE_TAG', 'COREDNS_VERSION', 'PAUSE_VERSION'].map((n) => all[prefix + n]);
  return etcdImageTag && coredns && pause ? { etcdImageTag, coredns, pause } : undefined;
}

// The same object declared twice (the sample stack and the user's manifests,
// or two of the user's files): the cluster keeps the one applied last, so
// shakedown says which wins, and judges against that one too.
import { dirname, resolve } from 'node:path';
import type { Scenario } from '../scenario/model.ts';
import { type ManifestObject, readManifestSources } from './manifests.ts';
import { sampleStack } from './sample.ts';

export interface DeclaredSource {
  /** Where the objects come from, as a person would name it: "the sample stack", "app.yaml". */
  origin: string;
  objects: ManifestObject[];
}

export const SAMPLE_ORIGIN = 'the sample stack';

function keyOf(o: ManifestObject, namespace: string): string {
  return `${o.kind} ${o.metadata?.namespace ?? namespace}/${o.metadata?.name ?? ''}`;
}

/** One line per object declared more than once, in apply order: where, and which one the cluster keeps. */
export function declaredTwice(sources: DeclaredSource[], namespace: string): string[] {
  const origins = new Map<string, string[]>();
  for (const source of sources) {
    for (const o of source.objects) {
      if (typeof o.kind !== 'string' || !o.metadata?.name) continue;
      const key = keyOf(o, namespace);
      origins.set(key, [...(origins.get(key) ?? []), source.origin]);
    }
  }
  return [...origins]
    .filter(([, from]) => from.length > 1)
    .map(([key, from]) => `${key} is declared in ${[...new Set(from)].join(' and in ')}${new Set(from).size === 1 ? ` ${from.length} times` : ''}: the last one applied (${from.at(-1)}) wins, as on the cluster`);
}

/** The objects as the cluster ends up holding them: a later declaration replaces an earlier one. */
export function lastWins(objects: ManifestObject[], namespace: string): ManifestObject[] {
  const byKey = new Map<string, ManifestObject>();
  for (const o of objects) byKey.set(keyOf(o, namespace), o);
  return [...byKey.values()];
}

/** The stack's sources in the order deploy applies them: the sample first, then each manifest. */
export async function stackSources(scenario: Scenario, cwd: string): Promise<DeclaredSource[]> {
  const { stack } = scenario;
  const paths = stack.manifests.map((m) => resolve(dirname(resolve(cwd, scenario.file)), m));
  const sample = stack.sample ? [{ origin: SAMPLE_ORIGIN, objects: sampleStack(stack.namespace, stack.variant) }] : [];
  return [...sample, ...(await readManifestSources(scenario.file, paths, stack.manifests))];
}

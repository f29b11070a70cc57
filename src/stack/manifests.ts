// The user's manifests as objects, read the way `kubectl apply -f` reads
// them: a file, or a directory's .yaml/.yml/.json files (not recursing),
// each possibly holding several documents or a List.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../errors.ts';

export type ManifestObject = Record<string, any>;

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The files `kubectl apply -f path` would apply, in its order. */
async function manifestFiles(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(extname(e.name)))
    .map((e) => join(path, e.name))
    .sort();
}

/** Objects of one file's documents; a List contributes its items. Documents that do not parse are left to kubectl to report. */
export function objectsIn(text: string): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) continue;
    const value = doc.toJS() as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const object = value as ManifestObject;
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) objects.push(...object.items.filter((i: unknown) => i && typeof i === 'object'));
    else objects.push(object);
  }
  return objects;
}

/**
 * The objects of each manifest the scenario names, in apply order. `paths`
 * are resolved already; `names` are as the scenario wrote them, for a
 * missing one's message and for saying where an object came from.
 */
export async function readManifestSources(file: string, paths: string[], names: string[] = paths): Promise<Array<{ origin: string; objects: ManifestObject[] }>> {
  const sources: Array<{ origin: string; objects: ManifestObject[] }> = [];
  for (const [i, path] of paths.entries()) {
    let files: string[];
    try {
      files = await manifestFiles(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw InputError.single(file, `stack.manifests[${i}]`, code === 'ENOENT' ? `${names[i]} not found` : `cannot read ${names[i]}: ${(error as Error).message}`);
    }
    for (const manifest of files) sources.push({ origin: files.length > 1 ? join(names[i]!, basename(manifest)) : names[i]!, objects: objectsIn(await readFile(manifest, 'utf8')) });
  }
  return sources;
}

/** Every object of the manifests, in apply order. */
export async function readManifests(file: string, paths: string[], names: string[] = paths): Promise<ManifestObject[]> {
  return (await readManifestSources(file, paths, names)).flatMap((s) => s.objects);
}

/** NetworkPolicies among the objects, in the stack namespace unless they name one. */
export function policiesIn(objects: ManifestObject[], namespace: string): ManifestObject[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata?.namespace ?? namespace } }));
}

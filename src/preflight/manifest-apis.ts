// API versions the target release no longer serves, found in the user's
// manifests (YAML or JSON, multi-document, helm-rendered output included).
// Files are read as written: unlike a live GET, which the apiserver converts
// to whatever version is asked for, they say which version will be applied.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Finding } from './findings.ts';
import { removedBy, type RemovedApi } from './removed-apis.ts';

export interface ApiUse {
  file: string;
  /** 1-based document number within the file. */
  document: number;
  apiVersion: string;
  kind: string;
  name?: string;
  removal: RemovedApi;
}

export interface ManifestScan {
  files: number;
  objects: number;
  uses: ApiUse[];
  /** Documents that are not YAML (unrendered templates, say): skipped and reported. */
  unreadable: Array<{ file: string; document: number; message: string }>;
}

type Obj = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; items?: unknown };

/** Every object in one file's text; `kind: List` items count as objects. */
export function scanManifestText(text: string, file: string, target: number, into: ManifestScan = emptyScan()): ManifestScan {
  into.files++;
  parseAllDocuments(text).forEach((doc, index) => {
    if (doc.errors.length) {
      into.unreadable.push({ file, document: index + 1, message: doc.errors[0]!.message.split('\n')[0]! });
      return;
    }
    const visit = (obj: Obj | null | undefined) => {
      if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return;
      if (Array.isArray(obj.items) && obj.kind.endsWith('List')) {
        for (const item of obj.items as Obj[]) visit(item);
        return;
      }
      into.objects++;
      const removal = removedBy(obj.apiVersion, obj.kind, target);
      if (removal) into.uses.push({ file, document: index + 1, apiVersion: obj.apiVersion, kind: obj.kind, ...(typeof obj.metadata?.name === 'string' && { name: obj.metadata.name }), removal });
    };
    visit(doc.toJS() as Obj);
  });
  return into;
}

function emptyScan(): ManifestScan {
  return { files: 0, objects: 0, uses: [], unreadable: [] };
}

/** A file, or every .yaml/.yml/.json file under a directory. */
export function manifestFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

export function scanManifests(path: string, target: number): ManifestScan {
  const scan = emptyScan();
  for (const file of manifestFiles(path)) scanManifestText(readFileSync(file, 'utf8'), relative(process.cwd(), file) || file, target, scan);
  return scan;
}

export function manifestFindings(scan: ManifestScan, targetText: string): Finding[] {
  return [
    ...scan.uses.map(
      (use): Finding => ({
        severity: 'blocker',
        check: 'removed-api',
        object: `${use.file} (document ${use.document}) ${use.kind}${use.name ? ` ${use.name}` : ''}`,
        message: `${use.apiVersion} ${use.kind} is not served since v1.${use.removal.removedIn}, so ${targetText} refuses it`,
        fix: `use ${use.removal.replacement}`,
      }),
    ),
    ...scan.unreadable.map(
      (u): Finding => ({
        severity: 'warning',
        check: 'manifest-unreadable',
        object: `${u.file} (document ${u.document})`,
        message: `not YAML, so not checked: ${u.message}`,
        fix: 'pass rendered manifests (helm template ...), not templates',
      }),
    ),
  ];
}

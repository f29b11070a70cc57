// Reads a multi-document YAML file of Namespaces, Pods and NetworkPolicies
// into a Cluster, reporting every problem at once, each located as
// `file: documents[i].field.path: message` (document indexes count from 0).
import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments } from 'yaml';
import type * as z from 'zod';
import { InputError } from '../errors.ts';
import type { Issue } from '../errors.ts';
import { NAMESPACE_NAME_LABEL, podKey, policyKey } from './model.ts';
import type { Cluster, ContainerPort, Namespace, NetworkPolicy, Pod } from './model.ts';
import { listSchema, namespaceSchema, networkPolicySchema, podSchema } from './schema.ts';

const KINDS = ['Namespace', 'Pod', 'NetworkPolicy', 'List'];

export async function loadManifests(file: string): Promise<Cluster> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw InputError.single(file, '', `cannot read file: ${(err as Error).message}`);
  }
  return parseManifests(text, file);
}

export function parseManifests(text: string, file: string): Cluster {
  const issues: Issue[] = [];
  const namespaces = new Map<string, Namespace>();
  const pods = new Map<string, Pod>();
  const policies = new Map<string, NetworkPolicy>();
  const fail = (path: string, message: string) => issues.push({ file, path, message });

  const parse = <S extends z.ZodType>(schema: S, value: unknown, at: string): z.output<S> | undefined => {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) fail(joinPath(at, [...issue.path, key]), 'unknown field');
      } else {
        fail(joinPath(at, issue.path), describeIssue(issue));
      }
    }
    return undefined;
  };

  const needNamespace = (meta: { namespace?: string | undefined }, at: string): string | undefined => {
    if (meta.namespace === undefined) fail(`${at}.metadata.namespace`, 'missing namespace');
    return meta.namespace;
  };

  const addObject = (value: unknown, at: string): void => {
    if (value === null || value === undefined) return; // an empty document, e.g. after a trailing `---`
    const kind = isRecord(value) ? value.kind : undefined;
    if (typeof kind !== 'string') return void fail(isRecord(value) ? `${at}.kind` : at, 'expected an object with a `kind`');
    switch (kind) {
      case 'Namespace': {
        const ns = parse(namespaceSchema, value, at);
        if (!ns) return;
        const name = ns.metadata.name;
        if (namespaces.has(name)) return void fail(`${at}.metadata.name`, `duplicate Namespace ${JSON.stringify(name)}`);
        // The apiserver sets this label on every namespace and won't let it differ.
        namespaces.set(name, { name, labels: { ...ns.metadata.labels, [NAMESPACE_NAME_LABEL]: name } });
        return;
      }
      case 'Pod': {
        const pod = parse(podSchema, value, at);
        const namespace = pod && needNamespace(pod.metadata, at);
        if (!pod || namespace === undefined) return;
        const ports: ContainerPort[] = (pod.spec?.containers ?? []).flatMap((c) =>
          (c.ports ?? []).map((p) => ({
            ...(p.name !== undefined ? { name: p.name } : {}),
            containerPort: p.containerPort,
            protocol: p.protocol ?? 'TCP',
          })),
        );
        const ip = pod.status?.podIP ?? pod.status?.podIPs?.[0]?.ip;
        const model: Pod = { namespace, name: pod.metadata.name, labels: { ...pod.metadata.labels }, ports, ...(ip ? { ip } : {}) };
        if (pods.has(podKey(model))) return void fail(`${at}.metadata.name`, `duplicate Pod ${podKey(model)}`);
        pods.set(podKey(model), model);
        return;
      }
      case 'NetworkPolicy': {
        const policy = parse(networkPolicySchema, value, at);
        const namespace = policy && needNamespace(policy.metadata, at);
        if (!policy || namespace === undefined) return;
        const model: NetworkPolicy = { metadata: { name: policy.metadata.name, namespace }, spec: policy.spec ?? {} };
        if (policies.has(policyKey(model))) return void fail(`${at}.metadata.name`, `duplicate NetworkPolicy ${policyKey(model)}`);
        policies.set(policyKey(model), model);
        return;
      }
      case 'List': {
        const list = parse(listSchema, value, at);
        list?.items.forEach((item, i) => {
          addObject(dropNulls(item), `${at}.items[${i}]`);
        });
        return;
      }
      default:
        fail(`${at}.kind`, `unknown kind ${JSON.stringify(kind)} (expected ${KINDS.join(', ')})`);
    }
  };

  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  // parseAllDocuments returns an EmptyStream (array-like, no docs) for blank input.
  [...documents].forEach((doc, i) => {
    const at = `documents[${i}]`;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const { line, col } = lineCounter.linePos(err.pos[0]);
        fail(at, `invalid YAML at line ${line}, column ${col}: ${err.message}`);
      }
      return;
    }
    addObject(dropNulls(doc.toJS()), at);
  });

  // Pods and policies may live in namespaces nobody declared: they exist all
  // the same, with the label the apiserver gives every namespace.
  for (const { namespace } of [...pods.values(), ...[...policies.values()].map((p) => p.metadata)]) {
    if (!namespaces.has(namespace)) namespaces.set(namespace, { name: namespace, labels: { [NAMESPACE_NAME_LABEL]: namespace } });
  }

  if (issues.length > 0) throw new InputError(issues);
  return { namespaces: [...namespaces.values()], pods: [...pods.values()], policies: [...policies.values()] };
}

/** Go's JSON decoding treats `field: null` as an absent field; do the same before validating. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function joinPath(base: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const text = String(key);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text) ? `${acc}.${text}` : `${acc}[${JSON.stringify(text)}]`;
  }, base);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `required ${issue.expected} is missing`;
    const got = Array.isArray(issue.input) ? 'array' : issue.input === null ? 'null' : typeof issue.input;
    const hint = issue.expected === 'string' && (got === 'number' || got === 'boolean') ? ' (quote it in YAML)' : '';
    const shown = got === 'object' || got === 'array' ? got : `${got} ${JSON.stringify(issue.input)}`;
    return `expected ${issue.expected}, got ${shown}${hint}`;
  }
  return issue.message;
}

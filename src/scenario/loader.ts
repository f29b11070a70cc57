// Loads scenario and suite files: YAML -> shape (strict schema) -> typed
// params (per registry) -> cross-field rules. Every problem is collected and
// reported at once as `file: path: message`.
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError, type Issue } from '../errors.ts';
import type { Scenario, Suite } from './model.ts';
import { formatPath } from './path.ts';
import type { TypeSchemas } from './registries.ts';
import { checkFaultsOnCluster, checkRules } from './rules.ts';
import { API_VERSION, AssertionSpec, FaultSpec, ScenarioDocument, SuiteDocument, type ScenarioDoc } from './schema.ts';
import { didYouMean } from './suggest.ts';

/** Reads YAML; syntax errors become issues with line and column. */
export function parseYaml(text: string, file: string): { value: unknown; issues: Issue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues = doc.errors.map((error) => {
    const pos = lineCounter.linePos(error.pos[0]);
    return { file, path: '', message: `invalid YAML at line ${pos.line}, column ${pos.col}: ${error.message.split('\n')[0]}` };
  });
  return { value: issues.length ? undefined : doc.toJS(), issues };
}

/** zod's issue, in the words of a scenario author; `knownKeys` are the keys allowed where an unknown one was found. */
export function issueMessage(issue: z.core.$ZodIssue, input: unknown, knownKeys: readonly string[] = []): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      if (issue.keys.length === 1) return `unknown key "${issue.keys[0]}"${didYouMean(issue.keys[0]!, knownKeys)}`;
      return `unknown keys ${issue.keys.map((k) => `"${k}"${didYouMean(k, knownKeys).replace(/^: (.*)$/, ' ($1)')}`).join(', ')}`;
    case 'too_big':
      return `must be <= ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'must not be empty' : `must be >= ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'invalid_type': {
      const got = input === undefined ? 'nothing' : Array.isArray(input) ? 'a list' : input === null ? 'null' : typeof input === 'object' ? 'a mapping' : JSON.stringify(input);
      return input === undefined ? 'is required' : `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`} (got ${got})`;
    }
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${input !== undefined ? ` (got ${JSON.stringify(input)})` : ''}`;
    default:
      return issue.message;
  }
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** The keys an object schema allows at `path`, looking through defaults, optionals, pipes, lists and records. */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let def = defOf(schema);
  let i = 0;
  for (;;) {
    const wrapped = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (wrapped) {
      def = defOf(wrapped);
      continue;
    }
    if (i === path.length) return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
    const key = path[i++]!;
    const next = def.type === 'object' ? def.shape?.[String(key)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
    if (!next) return [];
    def = defOf(next);
  }
}

/** The part of zod's schema definition that knownKeysAt walks. */
interface SchemaDef {
  type: string;
  innerType?: unknown;
  in?: unknown;
  shape?: Record<string, unknown>;
  element?: unknown;
  valueType?: unknown;
}

function defOf(schema: unknown): SchemaDef {
  return (schema as { _zod: { def: SchemaDef } })._zod.def;
}

function zodIssues(error: z.ZodError, file: string, prefix: string, input: unknown, schema: z.ZodType): Issue[] {
  return error.issues.map((issue) => ({
    file,
    path: formatPath([...(prefix ? [prefix] : []), ...issue.path]),
    message: issueMessage(issue, valueAt(input, issue.path), issue.code === 'unrecognized_keys' ? knownKeysAt(schema, issue.path) : []),
  }));
}

function typedParams(kind: 'fault' | 'assertion', index: number, type: string, params: unknown, registry: Record<string, { params: z.ZodType }>, file: string, issues: Issue[]): unknown {
  const section = kind === 'fault' ? 'faults' : 'assertions';
  const entry = registry[type];
  if (!entry) {
    const known = Object.keys(registry).sort();
    const hint = didYouMean(type, known) || ` (known: ${known.join(', ')})`;
    issues.push({ file, path: `${section}[${index}].type`, message: `unknown ${kind} type "${type}"${hint}` });
    return undefined;
  }
  const parsed = entry.params.safeParse(params);
  if (!parsed.success) {
    issues.push(...zodIssues(parsed.error, file, '', params, entry.params).map((i) => ({ ...i, path: `${section}[${index}].params${i.path ? `.${i.path}`.replace('.[', '[') : ''}` })));
    return undefined;
  }
  return parsed.data;
}

/** Turns a shape-valid document into a Scenario; typed params, then rules. */
export function normaliseScenario(doc: ScenarioDoc, file: string, registries: TypeSchemas): Scenario {
  const issues: Issue[] = [];
  const scenario: Scenario = {
    file,
    name: doc.metadata.name,
    ...(doc.metadata.description !== undefined && { description: doc.metadata.description }),
    cluster: doc.cluster,
    stack: doc.stack,
    ...(doc.load && { load: doc.load }),
    faults: doc.faults.map((fault, i) => ({
      id: fault.id ?? `${fault.type}-${i + 1}`,
      type: fault.type,
      at: fault.at,
      ...(fault.duration !== undefined && { duration: fault.duration }),
      params: typedParams('fault', i, fault.type, fault.params, registries.faults, file, issues),
      assert: fault.assert,
    })),
    assertions: doc.assertions.map((assertion, i) => ({
      name: assertion.name ?? assertion.type,
      type: assertion.type,
      params: typedParams('assertion', i, assertion.type, assertion.params, registries.assertions, file, issues),
    })),
    recoveryTimeout: doc.recovery.timeout,
    report: doc.report,
  };
  issues.push(...checkRules(scenario, registries));
  if (issues.length) throw new InputError(issues);
  return scenario;
}

async function readDocument(path: string, file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw InputError.single(file, '', code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}`);
  }
  const { value, issues } = parseYaml(text, file);
  if (issues.length) throw new InputError(issues);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw InputError.single(file, '', `must be a YAML mapping with apiVersion: ${API_VERSION} and kind: Scenario or Suite`);
  }
  return value as Record<string, unknown>;
}

export type Loaded = { kind: 'Scenario'; scenario: Scenario } | { kind: 'Suite'; suite: Suite };

/** Loads a Scenario or Suite file; throws InputError listing every problem. */
export async function loadFile(path: string, registries: TypeSchemas, cwd = process.cwd()): Promise<Loaded> {
  const file = relative(cwd, resolve(cwd, path)) || path;
  const value = await readDocument(resolve(cwd, path), file);
  if (value.kind === 'Suite') return { kind: 'Suite', suite: await loadSuite(value, resolve(cwd, path), file, registries, cwd) };
  if (value.kind !== 'Scenario') {
    const got = value.kind ?? null;
    const hint = typeof got === 'string' ? didYouMean(got, ['Scenario', 'Suite']) : '';
    throw InputError.single(file, 'kind', `must be Scenario or Suite (got ${JSON.stringify(got)})${hint}`);
  }
  const parsed = ScenarioDocument.safeParse(value);
  if (!parsed.success) throw new InputError([...zodIssues(parsed.error, file, '', value, ScenarioDocument), ...secondPassIssues(value, file, registries)]);
  return { kind: 'Scenario', scenario: normaliseScenario(parsed.data, file, registries) };
}

/** Sections no rule reads, and what stands in for them when they are broken. */
const STAND_INS: Record<string, unknown> = { apiVersion: API_VERSION, kind: 'Scenario', metadata: { name: 'unnamed' }, recovery: {}, report: {} };

/**
 * The second pass (typed params, then rules) over a document whose shape is
 * wrong, as far as it goes: in full when only sections no rule reads are
 * broken (or a key is unknown); otherwise the type and params of each fault
 * and assertion whose own entry is well-formed.
 */
function secondPassIssues(value: Record<string, unknown>, file: string, registries: TypeSchemas): Issue[] {
  const sections = ScenarioDocument.shape;
  const repaired: Record<string, unknown> = {};
  let rulesCanRun = true;
  for (const key of Object.keys(sections) as Array<keyof typeof sections>) {
    if (sections[key].safeParse(value[key]).success) repaired[key] = value[key];
    else if (key in STAND_INS) repaired[key] = STAND_INS[key];
    else rulesCanRun = false;
  }
  const reparsed = ScenarioDocument.safeParse(repaired);
  if (rulesCanRun && reparsed.success) {
    try {
      normaliseScenario(reparsed.data, file, registries);
      return [];
    } catch (error) {
      if (error instanceof InputError) return error.issues;
      throw error;
    }
  }
  const issues: Issue[] = [];
  const entries = (list: unknown) => (Array.isArray(list) ? (list as unknown[]) : []);
  entries(value.faults).forEach((entry, i) => {
    const fault = FaultSpec.safeParse(entry);
    if (fault.success) typedParams('fault', i, fault.data.type, fault.data.params, registries.faults, file, issues);
  });
  entries(value.assertions).forEach((entry, i) => {
    const assertion = AssertionSpec.safeParse(entry);
    if (assertion.success) typedParams('assertion', i, assertion.data.type, assertion.data.params, registries.assertions, file, issues);
  });
  return issues;
}

/** A suite and its scenario files; the files are checked even when the suite's own shape is wrong. */
async function loadSuite(value: Record<string, unknown>, path: string, file: string, registries: TypeSchemas, cwd: string): Promise<Suite> {
  const parsed = SuiteDocument.safeParse(value);
  const issues = parsed.success ? [] : zodIssues(parsed.error, file, '', value, SuiteDocument);
  const list = parsed.success ? parsed.data.scenarios : (SuiteDocument.shape.scenarios.safeParse(value.scenarios).data ?? []);
  const scenarios: Scenario[] = [];
  for (const [i, entry] of list.entries()) {
    try {
      const loaded = await loadFile(resolve(dirname(path), entry), registries, cwd);
      if (loaded.kind !== 'Scenario') issues.push({ file, path: `scenarios[${i}]`, message: `${entry} is a Suite; suites hold scenarios` });
      else scenarios.push(loaded.scenario);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push(...error.issues);
    }
  }
  // The suite's cluster is the one its scenarios run on.
  if (parsed.success) for (const scenario of scenarios) issues.push(...checkFaultsOnCluster(scenario, parsed.data.cluster));
  if (!parsed.success || issues.length) throw new InputError(issues);
  const { metadata, cluster, repeat, regressionMargin } = parsed.data;
  return { file, name: metadata.name, cluster, scenarios, repeat, regressionMargin };
}

export async function loadScenario(path: string, registries: TypeSchemas, cwd?: string): Promise<Scenario> {
  const loaded = await loadFile(path, registries, cwd);
  if (loaded.kind !== 'Scenario') throw InputError.single(path, 'kind', 'expected a Scenario here, got a Suite');
  return loaded.scenario;
}

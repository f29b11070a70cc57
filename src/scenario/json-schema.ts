// The JSON Schema of scenario files, generated from the same zod source as
// the validator, with each fault's and assertion's params spelled out per
// type so editors can complete them. Committed as scenarios/scenario.schema.json.
import { z } from 'zod';
import type { TypeSchemas } from './registries.ts';
import { AssertionSpec, FaultSpec, ScenarioDocument, SuiteDocument } from './schema.ts';

function typed(base: typeof FaultSpec | typeof AssertionSpec, types: Record<string, { params: z.ZodType; summary: string }>) {
  const variants = Object.entries(types)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, type]) => base.extend({ type: z.literal(name).describe(type.summary), params: type.params.optional() }));
  return variants.length ? z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]) : base;
}

export function scenarioJsonSchema(registries: TypeSchemas): Record<string, unknown> {
  const scenario = ScenarioDocument.extend({
    faults: z.array(typed(FaultSpec, registries.faults)).optional(),
    assertions: z.array(typed(AssertionSpec, registries.assertions)).optional(),
  });
  const schema = z.toJSONSchema(z.union([scenario, SuiteDocument]), { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { title: 'shakedown Scenario or Suite', ...schema };
}

export function scenarioJsonSchemaText(registries: TypeSchemas): string {
  return `${JSON.stringify(scenarioJsonSchema(registries), null, 2)}\n`;
}

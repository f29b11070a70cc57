// Regenerates scenarios/scenario.schema.json (a test keeps it in sync).
import { writeFileSync } from 'node:fs';
import { defaultRegistries } from '../src/registries.ts';
import { scenarioJsonSchemaText } from '../src/scenario/json-schema.ts';

writeFileSync(new URL('../scenarios/scenario.schema.json', import.meta.url), scenarioJsonSchemaText(defaultRegistries));

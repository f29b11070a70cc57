import { defaultRegistries } from '../../registries.ts';
import { scenarioJsonSchemaText } from '../../scenario/json-schema.ts';
import type { CliIo } from '../io.ts';

export async function schemaCommand(io: CliIo): Promise<number> {
  io.stdout.write(scenarioJsonSchemaText(defaultRegistries));
  return 0;
}

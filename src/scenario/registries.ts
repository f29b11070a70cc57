// What a scenario file may say of a fault or assertion type: its name, its
// params' schema, what it needs. The plugins are richer; the loader sees only
// this face of them, so the scenario room knows no plugin.
import type { z } from 'zod';

export interface TypeSchema {
  summary: string;
  params: z.ZodType;
  /** What the type needs the scenario to have, e.g. a load section. */
  requires?: readonly string[];
}

/** The fault and assertion types a scenario may use; tests pass their own. */
export interface TypeSchemas {
  faults: Record<string, TypeSchema>;
  assertions: Record<string, TypeSchema>;
}

import { assertionTypes } from './assertions/registry.ts';
import { faultTypes } from './faults/registry.ts';
import type { Registries } from './runner/registries.ts';

export const defaultRegistries: Registries = { faults: faultTypes, assertions: assertionTypes };

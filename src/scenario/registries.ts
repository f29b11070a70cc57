import type { AssertionType } from '../assertions/types.ts';
import type { FaultType } from '../faults/types.ts';

/** The fault and assertion types a scenario may use; tests pass their own. */
export interface Registries {
  faults: Record<string, FaultType<any>>;
  assertions: Record<string, AssertionType<any>>;
}

// The fault and assertion types a run directs: every one the scenario may
// name, with its injection or judgement and its named reverts.
import type { AssertionType } from '../assertions/types.ts';
import type { FaultType } from '../faults/types.ts';

export interface Registries {
  faults: Record<string, FaultType<any>>;
  assertions: Record<string, AssertionType<any>>;
}

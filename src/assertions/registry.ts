// Every assertion type shakedown knows. A new assertion: one folder, one line here.
import type { AssertionType } from './types.ts';
import { availability } from './availability/index.ts';
import { hpaScaled } from './hpa-scaled/index.ts';
import { netpolIsolated } from './netpol-isolated/index.ts';
import { pdbHeld } from './pdb-held/index.ts';
import { recoveredWithin } from './recovered-within/index.ts';

export const assertionTypes: Record<string, AssertionType<any>> = {
  [availability.type]: availability,
  [hpaScaled.type]: hpaScaled,
  [netpolIsolated.type]: netpolIsolated,
  [pdbHeld.type]: pdbHeld,
  [recoveredWithin.type]: recoveredWithin,
};

// The shape of a fault's story, shared by the generic teller and the ones
// of fault types with a story of their own.
import type { DetailTable, Fact } from './readable.ts';

export interface Moment {
  /** Epoch ms. */
  t: number;
  /** Short: it is drawn on the timeline. */
  label: string;
  /** Full sentence for the tooltip. */
  text: string;
}

export interface FaultStory {
  /** Short phrases; joined, they summarise the fault in one line. */
  summary: string[];
  facts: Fact[];
  tables: DetailTable[];
  moments: Moment[];
}

// What the report says about one fault beyond its row: a one-line summary,
// labelled facts, tables, and the moments worth marking on the timeline.
// Fault types with a story of their own (spot-drain) tell it here; every
// other fault's details are made readable the generic way.
import type { FaultRecord } from '../../core/result.ts';
import { labelOf, readableDetails } from './readable.ts';
import type { FaultStory } from './story-types.ts';
import { spotDrainStory } from './spot-drain.ts';

export type { FaultStory, Moment } from './story-types.ts';

const EPOCH_MS = 1e12;

export function faultStory(fault: FaultRecord, origin: number): FaultStory {
  if (fault.type === 'spot-drain') return spotDrainStory(fault.details ?? {}, origin);
  return genericStory(fault.details, origin);
}

/** A section of its own is worth it when there is more than fits one line. */
export function hasSection(story: FaultStory): boolean {
  return story.tables.length > 0 || story.moments.length > 1;
}

function genericStory(details: Record<string, unknown> | undefined, origin: number): FaultStory {
  const view = readableDetails(details, origin);
  const moments = Object.entries(details ?? {})
    .filter((entry): entry is [string, number] => /At$/.test(entry[0]) && typeof entry[1] === 'number' && entry[1] > EPOCH_MS)
    .map(([key, t]) => ({ t, label: labelOf(key).replace(/ at$/, '').toLowerCase(), text: `${labelOf(key)} ${view.facts.find((f) => f.label === labelOf(key))?.value ?? ''}`.trim() }));
  return {
    summary: [...view.facts.map((f) => `${f.label}: ${f.value}`), ...view.tables.map((t) => `${t.title}: ${t.rows.length + t.more} ${t.rows.length + t.more === 1 ? 'entry' : 'entries'}`)],
    facts: view.facts,
    tables: view.tables,
    moments,
  };
}

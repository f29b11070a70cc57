// Details as plain text, for places that only take text (JUnit failure
// bodies): one "Label: value" line per fact, one indented line per table row.
import type { DetailTable, Fact } from './readable.ts';

export function detailsText(view: { facts: Fact[]; tables: DetailTable[] }): string {
  const lines = view.facts.map((f) => `${f.label}: ${f.value}`);
  for (const table of view.tables) {
    lines.push(`${table.title}:`);
    for (const row of table.rows) {
      const cells = row.map((cell, i) => (cell === '' ? '' : `${table.columns[i]?.toLowerCase() ?? ''} ${cell}`.trim())).filter(Boolean);
      lines.push(`  - ${cells.join(', ')}`);
    }
    if (table.more > 0) lines.push(`  - … ${table.more} more`);
  }
  return lines.join('\n');
}

// Readable details in the HTML report: facts inline or as a list, small
// tables, and a section per fault whose story is longer than one line
// (a spot drain: notice, evictions, termination, replacement).
import { faultStory, hasSection } from '../details/story.ts';
import type { DetailTable, DetailView, Fact } from '../details/readable.ts';
import { timeOrigin } from '../format.ts';
import type { RunResult } from '../../core/result.ts';
import { escapeHtml as h } from '../text.ts';

/** Facts on one line and tables under them, for a table cell. */
export function detailsInline(view: DetailView): string {
  if (view.facts.length === 0 && view.tables.length === 0) return '';
  const facts = view.facts.length ? `<div class="details">${view.facts.map(inlineFact).join(' · ')}</div>` : '';
  return `${facts}${view.tables.map(miniTable).join('')}`;
}

export function summaryLine(phrases: string[]): string {
  return phrases.length ? `<div class="details">${phrases.map(h).join(' · ')}</div>` : '';
}

/** One section per fault worth more than its row, in schedule order. */
export function faultStories(result: RunResult): string {
  const origin = timeOrigin(result);
  const sections = [...result.faults]
    .sort((a, b) => a.at - b.at)
    .map((fault) => ({ fault, story: faultStory(fault, origin) }))
    .filter(({ story }) => hasSection(story))
    .map(
      ({ fault, story }) => `<section class="fault-story" data-fault="${h(fault.id)}">
<h3>${h(fault.type)} · <code>${h(fault.id)}</code></h3>
${factList(story.facts)}
${story.tables.map(miniTable).join('\n')}
</section>`,
    );
  return sections.join('\n');
}

function factList(facts: Fact[]): string {
  if (facts.length === 0) return '';
  return `<dl class="story-facts">${facts.map((f) => `<div><dt>${h(f.label)}</dt><dd>${h(f.value)}</dd></div>`).join('')}</dl>`;
}

function inlineFact(f: Fact): string {
  return `<span class="fact"><span class="fact-label">${h(f.label)}:</span> ${h(f.value)}</span>`;
}

function miniTable(table: DetailTable): string {
  const head = table.columns.map((c) => `<th>${h(c)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${h(cell)}</td>`).join('')}</tr>`);
  if (table.more > 0) rows.push(`<tr><td colspan="${table.columns.length}" class="more">… ${table.more} more</td></tr>`);
  return `<table class="mini"><caption>${h(table.title)}</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

// summary.md: what a reviewer reads in a PR comment or a CI job summary.
// Concise on purpose; the HTML report carries the timeline and full log.
import { describeEvent, eventSeverity, notableEvents } from './event-text.ts';
import { faultStory, hasSection, type FaultStory } from './details/story.ts';
import type { DetailTable } from './details/readable.ts';
import { assertionsByWindow, clusterLabel, countAssertions, faultDuration, formatDuration, formatOffset, originLabel, replayCommand, timeOrigin, verdictWord, explanationLines } from './format.ts';
import type { RunResult } from '../core/result.ts';
import { escapeMarkdownCell, escapeMarkdownInline, toXmlChars, truncate } from './text.ts';

export interface MarkdownOptions {
  /** Other reports to link, label -> path (relative to summary.md). */
  reports?: Record<string, string>;
  /** Most notable events listed before the list is cut. */
  maxEvents?: number;
}

export const DEFAULT_REPORT_LINKS: Record<string, string> = {
  'HTML report': 'report.html',
  'results.json': 'results.json',
  'JUnit XML': 'junit.xml',
};

export function renderMarkdown(result: RunResult, options: MarkdownOptions = {}): string {
  const sections = [header(result), faultsSection(result), assertionsSection(result), eventsSection(result, options.maxEvents ?? 20), reportsSection(options.reports ?? DEFAULT_REPORT_LINKS)];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function header(result: RunResult): string {
  const counts = countAssertions(result.assertions);
  const lines = [
    `# shakedown: ${escapeMarkdownInline(result.scenario)} — ${verdictWord(result.verdict)}`,
    '',
    `**Status:** ${verdictWord(result.verdict)} (exit ${result.exitCode}) · ` +
      `**Assertions:** ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped · ` +
      `**Cluster:** ${escapeMarkdownInline(clusterLabel(result))} · ` +
      `**Duration:** ${formatDuration(result.finishedAt - result.startedAt)}`,
    '',
    `Run \`${result.runId.replace(/`/g, "'")}\` of \`${result.file.replace(/`/g, "'")}\`, started ${new Date(result.startedAt).toISOString()}.`,
  ];
  const replay = replayCommand(result);
  if (replay) lines.push('', `Replay shakedown's choices (seed ${result.seed}): \`${replay.replace(/`/g, "'")}\``);
  if (result.description) lines.push('', `> ${escapeMarkdownInline(result.description).replace(/\r?\n/g, ' ')}`);
  if (result.error) lines.push('', '**Error:**', '', fence(result.error));
  return lines.join('\n');
}

function faultsSection(result: RunResult): string {
  if (result.faults.length === 0) return '## Faults\n\nNo faults were scheduled.';
  const origin = timeOrigin(result);
  const faults = [...result.faults].sort((a, b) => a.at - b.at).map((fault) => ({ fault, story: faultStory(fault, origin) }));
  const rows = faults.map(({ fault: f, story }) => {
    // Only worth saying when the fault ran noticeably off schedule.
    const drift = f.startedAt === undefined ? 0 : f.startedAt - origin - f.at;
    const actual = f.startedAt === undefined ? ' (not started)' : Math.abs(drift) >= 1000 ? ` (ran ${formatOffset(f.startedAt - origin)})` : '';
    return row([`${escapeMarkdownCell(f.type)} \`${f.id.replace(/[`|]/g, '')}\``, `${formatOffset(f.at)}${actual}`, faultDuration(f), f.state, escapeMarkdownCell(truncate([f.message, story.summary.join(' · ')].filter(Boolean).join(' — '), 400))]);
  });
  const stories = faults.filter(({ story }) => hasSection(story)).map(({ fault, story }) => storySection(fault.id, fault.type, story));
  return ['## Faults', '', `Times are relative to ${originLabel(result)}.`, '', row(['Fault', 'At', 'Duration', 'State', 'Message']), row(['---', '---', '---', '---', '---']), ...rows, ...stories].join('\n');
}

/** A fault whose story does not fit its row: its facts as a list, its tables in full. */
function storySection(id: string, type: string, story: FaultStory): string {
  return [
    '',
    `### Fault \`${id.replace(/[`|]/g, '')}\` (${escapeMarkdownInline(type)})`,
    '',
    ...story.facts.map((f) => `- **${escapeMarkdownInline(f.label)}:** ${escapeMarkdownInline(f.value).replace(/\r?\n/g, ' ')}`),
    ...story.tables.flatMap(markdownTable),
  ].join('\n');
}

function markdownTable(table: DetailTable): string[] {
  return [
    '',
    `**${escapeMarkdownInline(table.title)}**`,
    '',
    row(table.columns.map(escapeMarkdownCell)),
    row(table.columns.map(() => '---')),
    ...table.rows.map((cells) => row(cells.map((c) => escapeMarkdownCell(c)))),
    ...(table.more > 0 ? [`\n… ${table.more} more`] : []),
  ];
}

function assertionsSection(result: RunResult): string {
  if (result.assertions.length === 0) return '## Assertions\n\nNo assertions were judged.';
  const parts = ['## Assertions'];
  for (const [window, assertions] of assertionsByWindow(result)) {
    parts.push(
      '',
      `### ${escapeMarkdownInline(window)}`,
      '',
      row(['Assertion', 'Type', 'Status', 'Message']),
      row(['---', '---', '---', '---']),
      ...assertions.map((a) => row([escapeMarkdownCell(a.name), escapeMarkdownCell(a.type), a.status === 'failed' ? '**FAILED**' : a.status, escapeMarkdownCell(truncate(a.message, 300))])),
    );
  }
  const explained = result.assertions.filter((a) => a.explanation);
  if (explained.length) {
    parts.push('', '### Why, and what to change', '');
    for (const a of explained) {
      parts.push(`- **${escapeMarkdownInline(a.name)}** in \`${a.window.replace(/`/g, "'")}\``, ...explanationLines(a.explanation).map((l) => `  - ${escapeMarkdownInline(l)}`));
    }
  }
  return parts.join('\n');
}

function eventsSection(result: RunResult, max: number): string {
  const notable = notableEvents(result.events);
  if (notable.length === 0) return '## Notable events\n\nNo warnings or errors.';
  const origin = timeOrigin(result);
  const lines = notable.slice(0, max).map((e) => {
    const text = escapeMarkdownInline(truncate(describeEvent(e), 300)).replace(/\r?\n/g, ' ');
    return `- \`${formatOffset(e.t - origin)}\` **${eventSeverity(e)}** ${text}`;
  });
  if (notable.length > max) lines.push(`- … ${notable.length - max} more in the HTML report`);
  return ['## Notable events', '', ...lines].join('\n');
}

function reportsSection(reports: Record<string, string>): string {
  const entries = Object.entries(reports);
  if (entries.length === 0) return '';
  // Angle brackets let link targets contain spaces and parentheses.
  return ['## Reports', '', ...entries.map(([label, path]) => `- [${escapeMarkdownInline(label)}](<${path.replace(/[<>]/g, '')}>)`)].join('\n');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A fenced block long enough that the content cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${toXmlChars(text)}\n${ticks}`;
}

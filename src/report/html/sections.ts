// The HTML report's sections other than the timeline. Each returns a string
// of markup with every piece of run data passed through escapeHtml.
import { describeEvent, eventSeverity } from '../event-text.ts';
import { readableDetails } from '../details/readable.ts';
import { faultStory } from '../details/story.ts';
import { assertionsByWindow, clusterLabel, countAssertions, faultDuration, faultSpan, formatDuration, formatOffset, isoTime, originLabel, replayCommand, timeOrigin, verdictWord } from '../format.ts';
import type { AssertionRecord, RunResult } from '../../core/result.ts';
import { escapeHtml as h } from '../text.ts';
import { detailsInline, faultStories, summaryLine } from './details.ts';
import { windowStory } from '../window-story.ts';

export function headerSection(result: RunResult): string {
  const c = result.cluster;
  const facts: Array<[string, string]> = [
    ['Cluster', c ? `${c.provider}/${c.name}` : clusterLabel(result)],
    ...(c?.kubernetesVersion ? [['Kubernetes', c.kubernetesVersion] as [string, string]] : []),
    ...(c?.cni ? [['CNI', c.cni] as [string, string]] : []),
    ...(c?.nodes !== undefined ? [['Nodes', String(c.nodes)] as [string, string]] : []),
    ['Duration', formatDuration(result.finishedAt - result.startedAt)],
    [
      'Started',
      isoTime(result.startedAt)
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    ],
    ['Scenario file', result.file],
    ['Run', result.runId],
    ['Exit code', String(result.exitCode)],
    ...(result.seed !== undefined ? [['Seed', String(result.seed)] as [string, string]] : []),
    ...(replayCommand(result) ? [['Replay', replayCommand(result)!] as [string, string]] : []),
  ];
  return `<header class="run-header verdict-${h(result.verdict)}">
<div class="verdict" role="status">${h(verdictWord(result.verdict))}</div>
<div class="run-title">
<h1>${h(result.scenario)}</h1>
${result.description ? `<p class="description">${h(result.description)}</p>` : ''}
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('')}</dl>
</div>
</header>`;
}

/** Counts, then the failures spelled out: the two lines most readers need. */
export function summarySection(result: RunResult): string {
  const counts = countAssertions(result.assertions);
  const failedFaults = result.faults.filter((f) => f.state === 'failed').length;
  const byState = new Map<string, number>();
  for (const f of result.faults) byState.set(f.state, (byState.get(f.state) ?? 0) + 1);
  const states = [...byState].map(([state, n]) => ` · ${n} ${state}`).join('');
  const chips = [
    chip(`${counts.passed} passed`, counts.passed > 0 && counts.failed === 0 ? 'good' : ''),
    chip(`${counts.failed} failed`, counts.failed > 0 ? 'bad' : ''),
    chip(`${counts.skipped} skipped`, ''),
    chip(`${result.faults.length} fault${result.faults.length === 1 ? '' : 's'}${states}`, failedFaults ? 'bad' : ''),
  ];
  const origin = timeOrigin(result);
  const failedAssertions = result.assertions.filter((a) => a.status === 'failed');
  const failedPhases = result.phases.filter((p) => p.status === 'failed');
  // The phase whose failure is the run error is named in the error box instead of repeated.
  const causePhase = failedPhases.find((p) => result.error !== undefined && p.message === result.error);
  const items = [
    ...failedAssertions.map((a) => `<li><strong>${h(a.name)}</strong> (${h(a.type)}) failed in <code>${h(a.window)}</code>: ${h(a.message)}${explanationHtml(a)}${storyHtml(windowStory(result, a))}</li>`),
    ...failedPhases.filter((p) => p !== causePhase).map((p) => `<li><strong>phase ${h(p.phase)}</strong> failed at ${h(formatOffset(p.startedAt - origin))}${p.message ? `: ${h(p.message)}` : ''}</li>`),
  ];
  return `<div class="summary" aria-label="assertion counts">${chips.join('')}</div>
${items.length ? `<ul class="headline">${items.join('')}</ul>` : ''}
${result.error ? `<div class="error-box"><strong>Run error${causePhase ? ` in phase ${h(causePhase.phase)} at ${h(formatOffset(causePhase.startedAt - origin))}` : ''}</strong><pre class="mono">${errorHtml(result.error)}</pre></div>` : ''}`;
}

/** A run error, its fix lines ("  fix: ...") set apart as a verdict's are. */
function errorHtml(error: string): string {
  return error
    .split('\n')
    .map((line) => (/^\s+fix: /.test(line) ? `<span class="fix">${h(line.trim())}</span>` : h(line)))
    .join('\n');
}

/** The window's moments under a failure, folded: the evidence is there for whoever asks. */
function storyHtml(lines: string[]): string {
  if (!lines.length) return '';
  return `<details class="story"><summary>What happened in this window (${lines.length})</summary><ul>${lines.map((l) => `<li class="mono">${h(l)}</li>`).join('')}</ul></details>`;
}

/** The cause and the fix under a failed verdict, set apart so the eye finds them first. */
function explanationHtml(a: AssertionRecord): string {
  if (!a.explanation) return '';
  const fix = a.explanation.fix ? `<div class="fix"><strong>Fix:</strong> ${h(a.explanation.fix)}</div>` : '';
  return `<div class="why"><strong>Why:</strong> ${h(a.explanation.cause)}</div>${fix}`;
}

export function assertionTable(result: RunResult): string {
  if (result.assertions.length === 0) return '<p class="note">No assertions were judged.</p>';
  const origin = timeOrigin(result);
  const rows = assertionsByWindow(result).flatMap(([window, assertions]) =>
    assertions.map((a, i) => {
      const details = detailsInline(readableDetails(a.details, origin));
      const classes = [a.status === 'failed' ? 'row-failed' : '', i === 0 ? 'window-start' : ''].filter(Boolean).join(' ');
      return `<tr${classes ? ` class="${classes}"` : ''}>
<td>${i === 0 ? `<code>${h(window)}</code>` : ''}</td>
<td><strong>${h(a.name)}</strong><div class="details">${h(a.type)}</div></td>
<td>${status(a.status)}</td>
<td class="message">${h(a.message)}${explanationHtml(a)}${details}</td>
<td class="num">${a.durationSeconds === undefined ? '' : h(formatDuration(a.durationSeconds * 1000))}</td>
</tr>`;
    }),
  );
  return `<table class="assertions"><thead><tr><th>Window</th><th>Assertion</th><th>Status</th><th>Message</th><th class="num">Settled in</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

export function faultTable(result: RunResult): string {
  if (result.faults.length === 0) return '<p class="note">No faults were scheduled.</p>';
  const origin = timeOrigin(result);
  const rows = [...result.faults]
    .sort((a, b) => a.at - b.at)
    .map((f) => {
      const span = faultSpan(f, origin);
      const ran = f.startedAt === undefined ? 'not started' : `${formatOffset(span.start - origin)}${span.end === undefined || span.end - span.start < 1000 ? '' : ` → ${formatOffset(span.end - origin)}`}`;
      const story = faultStory(f, origin);
      return `<tr${f.state === 'failed' ? ' class="row-failed"' : ''}>
<td><strong>${h(f.type)}</strong><div class="details">${h(f.id)}</div></td>
<td class="num">${h(formatOffset(f.at))}</td>
<td class="num">${h(faultDuration(f))}</td>
<td class="num">${h(ran)}</td>
<td>${status(f.state)}</td>
<td class="message">${h(f.message ?? '')}${summaryLine(story.summary)}</td>
</tr>`;
    });
  return `<table class="faults"><thead><tr><th>Fault</th><th class="num">At</th><th class="num">Duration</th><th class="num">Ran</th><th>State</th><th>Message</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<p class="note">Times are relative to ${h(originLabel(result))}.</p>
${faultStories(result)}`;
}

export function phaseTable(result: RunResult): string {
  if (result.phases.length === 0) return '<p class="note">No phases ran.</p>';
  const origin = timeOrigin(result);
  const rows = result.phases.map(
    (p) => `<tr${p.status === 'failed' ? ' class="row-failed"' : ''}><td><code>${h(p.phase)}</code></td>
<td class="num">${h(formatOffset(p.startedAt - origin))}</td>
<td class="num">${p.finishedAt === undefined ? '' : h(formatDuration(p.finishedAt - p.startedAt))}</td>
<td>${status(p.status)}</td><td class="message">${h(p.message ?? '')}</td></tr>`,
  );
  return `<table class="phases"><thead><tr><th>Phase</th><th class="num">Started</th><th class="num">Took</th><th>Status</th><th>Message</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

/** Every event but samples (already drawn in the timeline), collapsed by default. */
export function eventLog(result: RunResult): string {
  const origin = timeOrigin(result);
  const shown = result.events.filter((e) => e.kind !== 'sample');
  const samples = result.events.length - shown.length;
  const notable = shown.filter((e) => ['warn', 'error'].includes(eventSeverity(e))).length;
  const rows = shown.map((e) => {
    const sev = eventSeverity(e);
    return `<tr class="sev-${sev}"><td class="num mono">${h(formatOffset(e.t - origin))}</td><td class="sev">${h(sev)}</td><td><code>${h(e.kind)}</code></td><td class="message">${h(describeEvent(e))}</td></tr>`;
  });
  return `<details class="log"><summary>Event log (${shown.length} events${notable ? `, ${notable} warnings/errors` : ''})</summary>
${samples ? `<p class="note">&nbsp;${samples} sample events are not listed; they are drawn in the timeline.</p>` : ''}
<table><thead><tr><th class="num">Time</th><th>Level</th><th>Kind</th><th>Event</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></details>`;
}

function chip(text: string, tone: '' | 'good' | 'bad'): string {
  return `<span class="chip${tone ? ` ${tone}` : ''}">${h(text)}</span>`;
}

function status(value: string): string {
  return `<span class="status status-${h(value)}">${h(value)}</span>`;
}

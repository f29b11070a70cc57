// The suite's index.html, self-contained like the run reports: the statuses
// first (what broke, what is new, what is flaky, what got slower), then per
// scenario its trend over the history and a link to every run's report.
import { join, relative } from 'node:path';
import type { HistoryRecord } from '../../history/record.ts';
import { describeStatus, type StatusKind } from '../../history/status.ts';
import { escapeHtml } from '../text.ts';
import type { SuiteOutcome } from './outcome.ts';
import { trendNights, trendSvg } from './trend.ts';

const STATUS_LOOK: Record<StatusKind, { word: string; colour: string }> = {
  'new-failure': { word: 'NEW FAILURE', colour: '#dc2626' },
  'known-failure': { word: 'KNOWN FAILURE', colour: '#b91c1c' },
  flaky: { word: 'FLAKY', colour: '#d97706' },
  regressed: { word: 'REGRESSED', colour: '#a16207' },
  'not-run': { word: 'NOT RUN', colour: '#64748b' },
  held: { word: 'HELD', colour: '#15803d' },
};
/** Worst first, so the morning reader sees what needs them at the top. */
const ORDER: StatusKind[] = ['new-failure', 'known-failure', 'flaky', 'regressed', 'not-run', 'held'];

export function renderSuiteIndex(outcome: SuiteOutcome, history: HistoryRecord[], dir: string): string {
  const scenarios = [...outcome.scenarios].sort((a, b) => ORDER.indexOf(a.status.kind) - ORDER.indexOf(b.status.kind));
  const badge = (kind: StatusKind) => `<b class="badge" style="background:${STATUS_LOOK[kind].colour}">${STATUS_LOOK[kind].word}</b>`;
  const tally = ORDER.map((kind) => [kind, outcome.scenarios.filter((s) => s.status.kind === kind).length] as const).filter(([, n]) => n > 0);
  const summary = `<table class="statuses"><tr><th>scenario</th><th>status</th><th></th></tr>${scenarios
    .map((s) => `<tr><td><a href="#${escapeHtml(s.name)}">${escapeHtml(s.name)}</a></td><td>${badge(s.status.kind)}</td><td>${escapeHtml(describeStatus(s.status))}</td></tr>`)
    .join('')}</table>`;
  const sections = scenarios.map((s) => {
    const runs = s.runs
      .map((r) => `<li><a href="${escapeHtml(relative(dir, join(r.reportDir, 'report.html')))}">${escapeHtml(r.label)}</a>: ${escapeHtml(r.result.verdict)} in ${((r.result.finishedAt - r.result.startedAt) / 1000).toFixed(0)} s</li>`)
      .join('');
    const nights = trendNights(history.filter((h) => h.scenario === s.name));
    return `<section id="${escapeHtml(s.name)}"><h2>${escapeHtml(s.name)} ${badge(s.status.kind)}</h2><p>${escapeHtml(describeStatus(s.status))}</p>
<div class="trend">${trendSvg(nights)}${nights.length ? `<div class="legend">${nights.length} night${nights.length === 1 ? '' : 's'}; <span style="color:#dc2626">✕</span> a night that failed</div>` : ''}</div>
${runs ? `<ul>${runs}</ul>` : ''}</section>`;
  });
  const resets = outcome.resets.length
    ? `<h2>Resets between scenarios</h2><ul>${outcome.resets
        .map(
          (r) =>
            `<li>before ${escapeHtml(r.before)} (${(r.tookMs / 1000).toFixed(1)} s): ${escapeHtml([r.found.length ? `found ${r.found.join('; ')}` : 'found nothing left behind', ...(r.repaired.length ? [`did: ${r.repaired.join('; ')}`] : []), ...(r.problems.length ? [`still wrong: ${r.problems.join('; ')}`] : [])].join('. '))}</li>`,
        )
        .join('')}</ul>`
    : '';
  const warnings = outcome.historyWarnings.length ? `<details><summary>${outcome.historyWarnings.length} history line(s) skipped</summary><pre>${escapeHtml(outcome.historyWarnings.join('\n'))}</pre></details>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(outcome.suite)}: nightly ${escapeHtml(new Date(outcome.startedAt).toISOString().slice(0, 10))}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#0f172a;max-width:1000px}table{border-collapse:collapse}td,th{border:1px solid #e2e8f0;padding:6px 10px;text-align:left}th{background:#f8fafc}.badge{color:#fff;padding:2px 8px;border-radius:4px;font-size:12px;white-space:nowrap}section{border-top:1px solid #e2e8f0;margin-top:18px}.trend{display:flex;gap:16px;align-items:flex-end}.legend{color:#64748b;font-size:12px}</style></head><body>
<h1>${escapeHtml(outcome.suite)} <small>${escapeHtml(new Date(outcome.startedAt).toISOString().replace('T', ' ').slice(0, 16))} UTC · exit ${outcome.exitCode} · ${((outcome.finishedAt - outcome.startedAt) / 60000).toFixed(1)} min</small></h1>
<p>${tally.map(([kind, n]) => `${badge(kind)} ${n}`).join(' &nbsp; ')}</p>
${summary}
${outcome.rebuilt ? `<p><b>Cluster rebuilt:</b> ${escapeHtml(outcome.rebuilt)}</p>` : ''}
${sections.join('\n')}
${resets}
${warnings}
</body></html>
`;
}

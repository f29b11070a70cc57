// One report over several runs of the same scenario (e.g. one per spot
// provider preset): verdicts side by side, linking each run's own report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunResult } from '../core/result.ts';
import { escapeHtml } from './text.ts';

export interface Compared {
  label: string;
  result: RunResult;
  reportDir: string;
}

function rows(runs: Compared[]): Array<{ key: string; cells: Array<{ status: string; message: string } | undefined> }> {
  const keys: string[] = [];
  for (const run of runs) for (const a of run.result.assertions) if (!keys.includes(`${a.window} · ${a.name}`)) keys.push(`${a.window} · ${a.name}`);
  return keys.map((key) => ({
    key,
    cells: runs.map((run) => run.result.assertions.find((a) => `${a.window} · ${a.name}` === key)),
  }));
}

export function renderComparisonMarkdown(runs: Compared[], dir: string): string {
  const head = `| | ${runs.map((r) => r.label).join(' | ')} |\n|---|${runs.map(() => '---').join('|')}|`;
  const verdicts = `| **verdict** | ${runs.map((r) => `**${r.result.verdict.toUpperCase()}** (exit ${r.result.exitCode})`).join(' | ')} |`;
  const body = rows(runs).map((row) => `| ${row.key} | ${row.cells.map((c) => (c ? `${c.status.toUpperCase()}: ${c.message.replace(/\|/g, '\\|')}` : '-')).join(' | ')} |`);
  const links = runs.map((r) => `- ${r.label}: ${relative(dir, join(r.reportDir, 'report.html'))}`);
  return [`# ${runs[0]?.result.scenario ?? 'comparison'}: side by side`, '', head, verdicts, ...body, '', 'Reports:', ...links, ''].join('\n');
}

export function renderComparisonHtml(runs: Compared[], dir: string): string {
  const colour = (status: string) => (status === 'passed' ? '#15803d' : status === 'failed' ? '#dc2626' : '#64748b');
  const cell = (c: { status: string; message: string } | undefined) => (c ? `<td><b style="color:${colour(c.status)}">${escapeHtml(c.status.toUpperCase())}</b><br>${escapeHtml(c.message)}</td>` : '<td>-</td>');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(runs[0]?.result.scenario ?? '')} side by side</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#0f172a}table{border-collapse:collapse;width:100%}td,th{border:1px solid #e2e8f0;padding:8px;vertical-align:top;text-align:left}th{background:#f8fafc}.v{font-size:20px;font-weight:700}</style></head><body>
<h1>${escapeHtml(runs[0]?.result.scenario ?? '')}: side by side</h1>
<table><tr><th></th>${runs.map((r) => `<th>${escapeHtml(r.label)} · <a href="${escapeHtml(relative(dir, join(r.reportDir, 'report.html')))}">report</a></th>`).join('')}</tr>
<tr><th>verdict</th>${runs.map((r) => `<td class="v" style="color:${colour(r.result.verdict)}">${escapeHtml(r.result.verdict.toUpperCase())}</td>`).join('')}</tr>
${rows(runs)
  .map((row) => `<tr><th>${escapeHtml(row.key)}</th>${row.cells.map(cell).join('')}</tr>`)
  .join('\n')}
</table></body></html>
`;
}

export function writeComparison(runs: Compared[], dir: string): { markdown: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const markdown = join(dir, 'comparison.md');
  const html = join(dir, 'comparison.html');
  writeFileSync(markdown, renderComparisonMarkdown(runs, dir));
  writeFileSync(html, renderComparisonHtml(runs, dir));
  return { markdown, html };
}

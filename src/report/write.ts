// Writes the chosen report formats into one directory. Rendering is pure;
// this is the only module of the report package that touches the disk.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { RunResult } from '../core/result.ts';

export type ReportFormat = 'json' | 'junit' | 'markdown' | 'html';

export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'markdown', 'html'];

export const REPORT_FILES: Record<ReportFormat, string> = {
  json: 'results.json',
  junit: 'junit.xml',
  markdown: 'summary.md',
  html: 'report.html',
};

const LINK_LABELS: Record<Exclude<ReportFormat, 'markdown'>, string> = {
  html: 'HTML report',
  json: 'results.json',
  junit: 'JUnit XML',
};

/** Writes each format to its fixed file name in dir (created if missing); returns format -> path written. */
export async function writeReports(result: RunResult, dir: string, formats: ReportFormat[] = [...REPORT_FORMATS]): Promise<Record<string, string>> {
  const unique = [...new Set(formats)];
  const unknown = unique.filter((f) => !REPORT_FORMATS.includes(f));
  if (unknown.length) throw new Error(`unknown report format(s): ${unknown.join(', ')} (known: ${REPORT_FORMATS.join(', ')})`);
  await mkdir(dir, { recursive: true });
  // summary.md links only the siblings actually written, by relative name.
  const links = Object.fromEntries((['html', 'json', 'junit'] as const).filter((f) => unique.includes(f)).map((f) => [LINK_LABELS[f], REPORT_FILES[f]]));
  const render: Record<ReportFormat, () => string> = {
    json: () => renderJson(result),
    junit: () => renderJunit(result),
    markdown: () => renderMarkdown(result, { reports: links }),
    html: () => renderHtml(result),
  };
  const paths: Record<string, string> = {};
  for (const format of unique) {
    const path = join(dir, REPORT_FILES[format]);
    await writeFile(path, render[format](), 'utf8');
    paths[format] = path;
  }
  return paths;
}

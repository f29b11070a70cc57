// Writes the suite's three reports into one directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryRecord } from '../../history/record.ts';
import { renderSuiteIndex } from './index-html.ts';
import { renderSuiteJson } from './json.ts';
import { renderSuiteJunit } from './junit.ts';
import type { SuiteOutcome } from './outcome.ts';

export async function writeSuiteReports(outcome: SuiteOutcome, history: HistoryRecord[], dir: string): Promise<{ junit: string; json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const paths = { junit: join(dir, 'junit.xml'), json: join(dir, 'results.json'), html: join(dir, 'index.html') };
  await writeFile(paths.junit, renderSuiteJunit(outcome));
  await writeFile(paths.json, renderSuiteJson(outcome, dir));
  await writeFile(paths.html, renderSuiteIndex(outcome, history, dir));
  return paths;
}

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.ts';
import { renderJson } from '../../../src/report/json.ts';
import { writeReports, type ReportFormat } from '../../../src/report/write.ts';
import { spotDrainResult } from '../../fixtures/report/sample-result.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shakedown-report-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('writeReports', () => {
  it('creates the directory and writes all four reports', async () => {
    const dir = join(await tempDir(), 'runs', 'spot-drain');
    const result = spotDrainResult();
    const paths = await writeReports(result, dir);
    expect(paths).toEqual({
      json: join(dir, 'results.json'),
      junit: join(dir, 'junit.xml'),
      markdown: join(dir, 'summary.md'),
      html: join(dir, 'report.html'),
    });
    expect((await readdir(dir)).sort()).toEqual(['junit.xml', 'report.html', 'results.json', 'summary.md']);
    expect(await readFile(paths.json!, 'utf8')).toBe(renderJson(result));
    expect(await readFile(paths.html!, 'utf8')).toBe(renderHtml(result));
    expect(await readFile(paths.junit!, 'utf8')).toMatch(/^<\?xml/);
    const md = await readFile(paths.markdown!, 'utf8');
    expect(md).toContain('[HTML report](<report.html>)');
    expect(md).toContain('[results.json](<results.json>)');
    expect(md).toContain('[JUnit XML](<junit.xml>)');
  });

  it('writes only the requested formats and links only those', async () => {
    const dir = await tempDir();
    const paths = await writeReports(spotDrainResult(), dir, ['markdown', 'json']);
    expect(Object.keys(paths).sort()).toEqual(['json', 'markdown']);
    expect((await readdir(dir)).sort()).toEqual(['results.json', 'summary.md']);
    const md = await readFile(paths.markdown!, 'utf8');
    expect(md).toContain('(<results.json>)');
    expect(md).not.toContain('report.html');
  });

  it('rejects unknown formats before touching the disk', async () => {
    const dir = join(await tempDir(), 'never');
    await expect(writeReports(spotDrainResult(), dir, ['pdf' as ReportFormat])).rejects.toThrow(/unknown report format/);
    await expect(readdir(dir)).rejects.toThrow();
  });
});

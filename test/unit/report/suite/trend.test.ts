import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderSuiteIndex } from '../../../../src/report/suite/index-html.ts';
import { renderSuiteJson } from '../../../../src/report/suite/json.ts';
import { trendNights, trendSvg } from '../../../../src/report/suite/trend.ts';
import { night, steadyWeek } from '../../../support/history.ts';
import { sampleNight } from '../../../support/suite.ts';

const recorded = [
  ...steadyWeek({ recoveryMs: 20_000, p95Ms: 40 }),
  night(7, 'failed', { recoveryMs: 95_000, p95Ms: 300, repeat: 1 }),
  night(7, 'passed', { recoveryMs: 25_000, p95Ms: 50, repeat: 2 }),
  night(8, 'passed', { recoveryMs: 22_000, p95Ms: 42 }),
  night(8, 'passed', { scenario: 'pod-kill', recoveryMs: 5_000, p95Ms: 20 }),
];

describe('trend over recorded history', () => {
  it('one point per night: the median of its repeats, a night with a failed repeat marked', () => {
    const nights = trendNights(recorded.filter((r) => r.scenario === 'spot-drain'));
    expect(nights).toHaveLength(9);
    expect(nights[7]).toMatchObject({ batch: 'night7', recoveryMs: 60_000, p95Ms: 175, failed: true });
    expect(nights[8]).toMatchObject({ batch: 'night8', recoveryMs: 22_000, failed: false });
    expect(trendNights(recorded, 3).map((n) => n.batch)).toEqual(['night6', 'night7', 'night8']);
  });

  it('renders a well-formed SVG: a lane each for recovery and p95, the failed night as a red cross in both', () => {
    const svg = trendSvg(trendNights(recorded.filter((r) => r.scenario === 'spot-drain')));
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg).svg;
    expect(root['aria-label']).toBe('recovery time and p95 over 9 nights');
    expect(root.circle).toHaveLength(16); // 8 held nights x 2 lanes
    expect(root.g).toHaveLength(2);
    expect(root.g[0].title).toBe('2025-06-08: recovery 60.0 s (failed)');
    expect(root.g[1].title).toBe('2025-06-08: p95 (k6) 175 ms (failed)');
    expect(root.text.map((t: { '#text': string }) => t['#text'])).toEqual(['recovery', 'max 60.0 s', 'p95 (k6)', 'max 175 ms', '2025-06-01', '2025-06-09']);
  });

  it('says so when there is no history yet', () => {
    expect(trendSvg([])).toContain('no history yet');
  });
});

describe('suite index and results.json', () => {
  const html = renderSuiteIndex(sampleNight(), recorded, '/state/runs/20250610-020000-nightly-suite-ab12');

  it('puts the statuses at the top, worst first, and links every run report relatively', () => {
    const table = html.slice(html.indexOf('<table class="statuses">'), html.indexOf('</table>'));
    expect([...table.matchAll(/<b class="badge"[^>]*>([A-Z ]+)<\/b>/g)].map((m) => m[1])).toEqual(['NEW FAILURE', 'FLAKY', 'NOT RUN', 'HELD']);
    expect(html.indexOf('<table class="statuses">')).toBeLessThan(html.indexOf('<section'));
    expect(html).toContain('<a href="../20250610-spot-drain-no-pdb-3/report.html">spot-drain-no-pdb #1</a>');
    expect(html.match(/report\.html"/g)).toHaveLength(6);
    expect(html).toContain('found node w1 left cordoned. did: uncordoned w1');
  });

  it('is self-contained: an inline SVG trend per scenario, nothing fetched', () => {
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|<link|<img|(src|href)="https?:/);
  });

  it('results.json names each status in words and each run by id and report', () => {
    const json = JSON.parse(renderSuiteJson(sampleNight(), '/state/runs/night'));
    expect(json.scenarios.map((s: { status: { kind: string } }) => s.status.kind)).toEqual(['held', 'new-failure', 'flaky', 'not-run']);
    expect(json.scenarios[2].statusMessage).toBe('flaky: held 1 of 2 runs (50%)');
    expect(json.scenarios[1].runs[0]).toEqual({ label: 'spot-drain-no-pdb #1', runId: '20250610-spot-drain-no-pdb-3', verdict: 'failed', exitCode: 1, wallTimeMs: 90_000, report: '../20250610-spot-drain-no-pdb-3/report.html' });
    expect(json.exitCode).toBe(3);
  });
});

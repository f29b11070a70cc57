import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.ts';
import type { RunResult } from '../../../src/report/result.ts';
import { erroredResult, passingResult, spotDrainResult } from '../../fixtures/report/sample-result.ts';

const count = (html: string, re: RegExp) => html.match(new RegExp(re.source, 'g'))?.length ?? 0;
const svgOf = (html: string) => /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';

describe('renderHtml', () => {
  const html = renderHtml(spotDrainResult());
  const svg = svgOf(html);

  it('is one complete document with the verdict up front', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<header class="run-header verdict-failed">');
    expect(html).toMatch(/<div class="verdict" role="status">FAILED<\/div>/);
    expect(html).toContain('<h1>spot-drain</h1>');
    expect(html).toContain('kind/shakedown-spot (v1.33.1, 4 nodes, cilium)');
    expect(html).toContain('7m 16s');
  });

  it('draws one timeline with one band per fault that ran', () => {
    expect(count(html, /<svg\b/)).toBe(1);
    expect([...svg.matchAll(/<g class="fault-band" data-fault="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'drain-worker2', 'backend-latency', 'kill-frontend',
    ]);
    // Each band is labelled with type and id.
    for (const label of ['spot-drain · drain-worker2', 'network-latency · backend-latency', 'pod-kill · kill-frontend']) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  it('has a lane for every series, grouped by kind', () => {
    expect([...svg.matchAll(/data-lane="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'replicas', 'rps', 'errors', 'cpu:*', 'pdb:*:disruptionsAllowed',
    ]);
    for (const name of Object.keys(spotDrainResult().series)) expect(svg).toContain(`data-series="${name}"`);
    // Desired replicas are dashed; ready replicas are not.
    expect(/data-series="desired:backend"><title>[^<]*<\/title><path [^>]*stroke-dasharray/.test(svg)).toBe(true);
    expect(/data-series="ready:backend"><title>[^<]*<\/title><path [^>]*stroke-dasharray/.test(svg)).toBe(false);
    // Error rate is shown in percent.
    expect(svg).toMatch(/>20%<\/text>/);
  });

  it('marks the onset of each assertion failure once, not every failing poll', () => {
    const markers = [...svg.matchAll(/<g class="assertion-failure" data-assertion="([^"]+)">/g)].map((m) => m[1]);
    expect(markers).toEqual(['backend-available']);
  });

  it('marks phase boundaries inside the shown window and labels the time axis', () => {
    const phases = [...svg.matchAll(/data-phase="([^"]+)"/g)].map((m) => m[1]);
    expect(phases).toEqual(expect.arrayContaining(['steady-state', 'load', 'faults', 'recovery']));
    expect(phases).not.toContain('cluster');
    expect(svg).toContain('>30s</text>');
    expect(svg).toContain('>1m</text>');
    expect(svg).toContain('time since load start');
  });

  it('has assertion and fault tables and a collapsed event log', () => {
    expect(html).toContain('<table class="assertions">');
    expect(count(html, /<tr class="row-failed/)).toBeGreaterThanOrEqual(1);
    expect(html).toContain('<table class="faults">');
    expect(html).toMatch(/<details class="log"><summary>Event log \(\d+ events, \d+ warnings\/errors\)<\/summary>/);
    expect(html).not.toMatch(/<details[^>]* open/);
  });

  it('makes no external requests and needs no JavaScript', () => {
    for (const r of [spotDrainResult(), passingResult(), erroredResult()]) {
      const page = renderHtml(r);
      expect(page).not.toMatch(/https?:\/\//i);
      expect(page).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
      expect(page).not.toMatch(/@import|url\((?!#)/i);
      expect(page).not.toMatch(/\s(src|href)=/i);
    }
  });

  it('escapes hostile text everywhere it appears', () => {
    const attack = '<script>alert("x")</script>&<img src=x onerror=alert(1)>';
    const result: RunResult = spotDrainResult();
    result.scenario = attack;
    result.description = attack;
    result.error = attack;
    result.assertions = result.assertions.map((a) => ({ ...a, message: attack, name: a.status === 'failed' ? attack : a.name }));
    result.faults = result.faults.map((f) => ({ ...f, message: attack, id: f.id === 'kill-frontend' ? attack : f.id }));
    result.events = [
      ...result.events,
      { t: result.finishedAt, kind: 'log', level: 'error', message: attack },
      { t: result.loadStartedAt! + 40_000, kind: 'assertion', assertion: attack, type: 'x', status: 'failing', message: attack },
    ];
    result.series[`cpu:${attack}`] = [{ t: result.loadStartedAt!, v: 1 }, { t: result.loadStartedAt! + 2000, v: 2 }];
    const page = renderHtml(result);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('degrades gracefully with no samples at all', () => {
    const page = renderHtml(erroredResult());
    const s = svgOf(page);
    expect(page).toContain('<div class="verdict" role="status">ERROR</div>');
    expect(s).toContain('no samples recorded');
    expect(s).not.toContain('data-series=');
    // The fault never started, so it is listed but not drawn.
    expect(s).not.toContain('data-fault=');
    expect(page).toContain('not started');
    expect(s).toContain('time since run start');
    expect(page).toContain('Run error in phase cluster');
  });

  it('keeps core lanes that had no samples and says so', () => {
    const result = passingResult();
    delete result.series['k6:rps'];
    delete result.series['k6:error-rate'];
    const s = svgOf(renderHtml(result));
    expect([...s.matchAll(/data-lane="([^"]+)"/g)].map((m) => m[1])).toEqual(['replicas', 'rps', 'errors']);
    expect(count(s, /no samples recorded/)).toBe(2);
  });

  it('uses a distinct verdict class for each verdict', () => {
    for (const verdict of ['passed', 'failed', 'error', 'interrupted', 'planned'] as const) {
      const page = renderHtml({ ...passingResult(), verdict });
      expect(page).toContain(`verdict-${verdict}`);
      expect(page).toContain(`>${verdict.toUpperCase()}</div>`);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../src/report/html.ts';
import type { RunResult } from '../../../src/core/result.ts';
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
    expect(html).toContain('<dt>Cluster</dt><dd>kind/shakedown-spot</dd>');
    expect(html).toContain('<dt>Kubernetes</dt><dd>v1.33.1</dd>');
    expect(html).toContain('<dt>CNI</dt><dd>cilium</dd>');
    expect(html).toContain('<dt>Nodes</dt><dd>4</dd>');
    expect(html).toContain('7m 16s');
  });

  it('draws one timeline with one band per fault that ran', () => {
    expect(count(html, /<svg\b/)).toBe(1);
    expect([...svg.matchAll(/<g class="fault-band" data-fault="([^"]+)"/g)].map((m) => m[1])).toEqual(['drain-worker2', 'backend-latency', 'kill-frontend']);
    // Each band is labelled with type and id.
    for (const label of ['spot-drain · drain-worker2', 'network-latency · backend-latency', 'pod-kill · kill-frontend']) {
      expect(svg).toContain(`>${label}</text>`);
    }
  });

  it('has a lane for every series, grouped by kind', () => {
    expect([...svg.matchAll(/data-lane="([^"]+)"/g)].map((m) => m[1])).toEqual(['replicas', 'rps', 'errors', 'cpu:*', 'pdb:*:disruptionsAllowed']);
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

  it('tells the spot drain as what it was, and no fault detail as a raw dump', () => {
    const faults = html.slice(html.indexOf('<table class="faults">'), html.indexOf('<h2>Phases</h2>'));
    expect(faults).not.toMatch(/\w=[[{]|[{}]|&quot;/);
    const story = /<section class="fault-story" data-fault="drain-worker2">[\s\S]*?<\/section>/.exec(faults)?.[0] ?? '';
    expect(story).toContain('<dt>Notice</dt><dd>aws, 45s from notice to termination, given at +31s</dd>');
    expect(story).toContain('<dt>Mechanism</dt><dd>drain through the Eviction API: PodDisruptionBudgets apply</dd>');
    expect(story).toContain('<dt>Drain</dt><dd>drained in 15s: 5 evicted</dd>');
    expect(story).toContain('<dt>Node terminated</dt><dd>stopped at +1m 16s (45s after the notice)</dd>');
    expect(story).toContain('<dt>Replacement</dt><dd>shakedown-worker3 (the spare), Ready at +31s (500ms after the notice)</dd>');
    expect(story).toContain('<caption>Evictions</caption><thead><tr><th>Pod</th><th>Outcome</th><th>Attempts</th><th>Refused by</th><th>When</th><th>After notice</th></tr></thead>');
    expect(story).toContain('<tr><td>shop/frontend-6d8f9c7b5-m3v8d</td><td>evicted</td><td>4</td><td>frontend: needs 2 healthy pods and has 2 currently</td><td>+46s</td><td>15s</td></tr>');
    // Other faults read as labelled facts in their row, with no section of their own.
    expect(faults).toContain('<div class="details">Killed: shop/frontend-6d8f9c7b5-x2kqp</div>');
    expect([...faults.matchAll(/<section class="fault-story" data-fault="([^"]+)"/g)].map((m) => m[1])).toEqual(['drain-worker2']);
  });

  it('marks the moments of the spot drain on the timeline', () => {
    const moments = [...svg.matchAll(/<g class="fault-moment" data-fault="([^"]+)" data-moment="([^"]+)"><title>([^<]*)<\/title>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(moments.map((m) => m[1])).toEqual(['notice', '1st eviction', 'replacement Ready', 'drained', 'terminated']);
    expect(moments.every((m) => m[0] === 'drain-worker2')).toBe(true);
    expect(moments[3]![2]).toBe('drain finished: every pod off shakedown-worker2 (15s after the notice) (+46s)');
    for (const label of ['notice', '1st eviction', 'drained', 'terminated', 'replacement Ready']) expect(svg).toContain(`>${label}</text>`);
  });

  it('fills the Settled in column and shows a fault without a set end by how long it lasted', () => {
    expect(html).toMatch(/<strong>frontend-recovers<\/strong>[\s\S]*?<td class="num">11s<\/td>/);
    const result = passingResult();
    result.faults = [{ ...result.faults[0]!, endedAt: result.faults[0]!.startedAt! + 95_000, state: 'reverted' }];
    const page = renderHtml(result);
    expect(page).toContain('<td class="num">1m 35s, open-ended</td>');
    expect(page).not.toContain('>instant<');
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
    result.events = [...result.events, { t: result.finishedAt, kind: 'log', level: 'error', message: attack }, { t: result.loadStartedAt! + 40_000, kind: 'assertion', assertion: attack, type: 'x', status: 'failing', message: attack }];
    result.series[`cpu:${attack}`] = [
      { t: result.loadStartedAt!, v: 1 },
      { t: result.loadStartedAt! + 2000, v: 2 },
    ];
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

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { erroredResult, passingResult, spotDrainResult } from '../../fixtures/report/sample-result.ts';

/** Rows of the first table following a heading line. */
function tableAfter(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  const start = lines.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) rows.push(line.slice(2, -2).split(/ (?<!\\)\| /));
    else if (rows.length) break;
  }
  return rows;
}

describe('renderMarkdown', () => {
  const md = renderMarkdown(spotDrainResult());

  it('starts with the verdict, cluster and duration', () => {
    expect(md.split('\n')[0]).toBe('# shakedown: spot-drain — FAILED');
    expect(md).toContain('**Status:** FAILED (exit 1)');
    expect(md).toContain('**Cluster:** kind/shakedown-spot (Kubernetes v1.33.1, CNI cilium, 4 nodes)');
    expect(md).toContain('**Duration:** 7m 16s');
    expect(md).toContain('**Assertions:** 8 passed, 1 failed, 1 skipped');
  });

  it('has a fault table with type, at, duration, state and message', () => {
    const rows = tableAfter(md, '## Faults');
    expect(rows[0]).toEqual(['Fault', 'At', 'Duration', 'State', 'Message']);
    expect(rows.slice(2).map((r) => r.slice(0, 4))).toEqual([
      ['spot-drain `drain-worker2`', '+30s', '1m 00s', 'reverted'],
      ['network-latency `backend-latency`', '+1m 50s', '30s', 'reverted'],
      ['pod-kill `kill-frontend`', '+2m 40s', 'instant', 'reverted'],
    ]);
  });

  it('tells the spot drain under the fault table: notice, evictions, termination, replacement', () => {
    const faults = md.slice(md.indexOf('## Faults'), md.indexOf('## Assertions'));
    expect(faults).not.toMatch(/\w=[[{]|[{}"]/);
    expect(tableAfter(md, '## Faults')[2]![4]).toBe('aws notice 45s on shakedown-worker2 · 5 evicted · drained in 15s · terminated at +1m 16s · replacement shakedown-worker3 Ready at +31s');
    expect(faults).toContain('### Fault `drain-worker2` (spot-drain)');
    expect(faults).toContain('- **Notice:** aws, 45s from notice to termination, given at +31s');
    expect(faults).toContain('- **Drain:** drained in 15s: 5 evicted');
    expect(faults).toContain('- **Node terminated:** stopped at +1m 16s (45s after the notice)');
    expect(faults).toContain('- **Replacement:** shakedown-worker3 (the spare), Ready at +31s (500ms after the notice)');
    const evictions = tableAfter(md, '**Evictions**');
    expect(evictions[0]).toEqual(['Pod', 'Outcome', 'Attempts', 'Refused by', 'When', 'After notice']);
    expect(evictions).toContainEqual(['shop/frontend-6d8f9c7b5-m3v8d', 'evicted', '4', 'frontend: needs 2 healthy pods and has 2 currently', '+46s', '15s']);
    // Other faults' details read as labelled facts in their row.
    expect(tableAfter(md, '## Faults')[4]![4]).toBe('deleted pod frontend-6d8f9c7b5-x2kqp — Killed: shop/frontend-6d8f9c7b5-x2kqp');
  });

  it('shows a fault without a set end by how long it really lasted and how it ended', () => {
    const result = passingResult();
    result.faults = [{ ...result.faults[0]!, endedAt: result.faults[0]!.startedAt! + 95_000, state: 'reverted', message: 'applied to the end of the load, reverted at teardown' }];
    expect(tableAfter(renderMarkdown(result), '## Faults')[2]!.slice(2, 5)).toEqual(['1m 35s, open-ended', 'reverted', 'applied to the end of the load, reverted at teardown']);
  });

  it('has one assertion table per window, in run order', () => {
    const windows = [...md.slice(md.indexOf('## Assertions')).matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    expect(windows).toEqual(['steady-state', 'drain-worker2', 'backend-latency', 'kill-frontend', 'recovery']);
    const drain = tableAfter(md, '### drain-worker2');
    expect(drain[0]).toEqual(['Assertion', 'Type', 'Status', 'Message']);
    expect(drain[2]).toEqual(['backend-available', 'min-available', '**FAILED**', 'backend had 1/3 ready replicas for 16.0s (needs at least 2)']);
    expect(tableAfter(md, '### recovery').map((r) => r[2])).toContain('skipped');
  });

  it('lists warnings and errors once, not every poll of a failing check', () => {
    const section = md.slice(md.indexOf('## Notable events'), md.indexOf('## Reports'));
    expect(section.match(/backend-available.*failing/g)).toHaveLength(1);
    expect(section).toContain('**warn** backend: 2 of 3 pods evicted together');
    expect(section).toContain('**error** assertion backend-available');
  });

  it('links the other reports', () => {
    expect(md).toContain('## Reports');
    expect(md).toContain('[HTML report](<report.html>)');
    expect(renderMarkdown(spotDrainResult(), { reports: { 'JUnit XML': 'out dir/junit.xml' } })).toContain('[JUnit XML](<out dir/junit.xml>)');
  });

  it('keeps table cells intact when messages contain pipes, newlines and HTML', () => {
    const result = spotDrainResult();
    result.assertions[2] = { ...result.assertions[2]!, message: 'a | b\nc <script>alert(1)</script>' };
    const out = renderMarkdown(result);
    const row = tableAfter(out, '### drain-worker2')[2]!;
    expect(row).toHaveLength(4);
    expect(row[3]).toBe('a \\| b<br>c &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toContain('<script>');
  });

  it('shows the error of an errored run in a fence and says what did not happen', () => {
    const out = renderMarkdown(erroredResult());
    expect(out).toContain('# shakedown: partition — ERROR');
    expect(out).toMatch(/```text\nkind create cluster failed \(exit 1\):\nERROR: failed to create cluster/);
    expect(out).toContain('No assertions were judged.');
    expect(out).toContain('| network-partition `split-zones` | +30s (not started) | 45s | scheduled |');
  });

  it('says so when there was nothing notable', () => {
    expect(renderMarkdown(passingResult())).toContain('No warnings or errors.');
  });
});

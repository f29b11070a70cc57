// A failed verdict's cause and fix reach every place a person reads it: the
// terminal, the Markdown summary, the HTML report and JUnit's failure body.
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../../src/cli/output/format.ts';
import type { RunResult } from '../../../src/core/result.ts';
import { renderHtml } from '../../../src/report/html.ts';
import { renderJunit } from '../../../src/report/junit.ts';
import { renderMarkdown } from '../../../src/report/markdown.ts';
import { spotDrainResult } from '../../fixtures/report/sample-result.ts';
import { findAll, parseXml } from './xml.ts';

const explanation = { cause: 'deployment backend runs 1 replica: while it moved nothing served', fix: 'set spec.replicas of deployment backend to at least 2' };

function explained(): RunResult {
  const result = spotDrainResult();
  const failed = result.assertions.find((a) => a.status === 'failed')!;
  failed.explanation = explanation;
  return result;
}

describe('a failure explained', () => {
  it('prints why and fix under the failed verdict in the terminal', () => {
    const line = formatEvent({ kind: 'assertion', t: 0, assertion: 'availability', type: 'availability', status: 'failed', message: 'error rate 40%', window: 'reclaim', explanation }, 'normal')!;
    expect(line.split('\n').map((l) => l.trim())).toEqual([expect.stringContaining('availability [reclaim]: error rate 40%'), `why: ${explanation.cause}`, `fix: ${explanation.fix}`]);
  });

  it('lists it in the Markdown summary', () => {
    const md = renderMarkdown(explained());
    expect(md).toContain('### Why, and what to change');
    expect(md).toContain(`  - why: ${explanation.cause}`);
    expect(md).toContain(`  - fix: ${explanation.fix}`);
  });

  it('sets it beside the failure in the HTML report, in the headline and the table', () => {
    const html = renderHtml(explained());
    expect(html.match(/<div class="why"><strong>Why:<\/strong> deployment backend runs 1 replica/g)).toHaveLength(2);
    expect(html).toContain('<div class="fix"><strong>Fix:</strong> set spec.replicas of deployment backend to at least 2</div>');
  });

  it("puts it in JUnit's failure body after the message", () => {
    const doc = parseXml(renderJunit(explained()));
    const failure = findAll(doc, 'failure')[0]!;
    expect(failure.text).toMatch(new RegExp(`^[^\\n]+\\n\\nwhy: ${explanation.cause}\\nfix: ${explanation.fix}`));
  });

  it("carries what happened in the failed fault window: the fault's moments and warnings, offset from its start, in HTML and JUnit", () => {
    const result = explained();
    const failed = result.assertions.find((a) => a.status === 'failed')!;
    const fault = result.faults.find((f) => f.id === failed.window)!;
    const at = (s: number) => fault.startedAt! + s * 1000;
    result.events.push(
      { kind: 'log', t: at(0.5), level: 'warn', message: 'eviction of shop/backend-1 refused: budget backend' },
      { kind: 'log', t: at(1), level: 'debug', message: 'not for readers' },
      { kind: 'fault', t: at(20), faultId: fault.id, type: fault.type, state: 'active', message: 'w2 terminated (stop)' },
    );
    const story = /<details class="story">.*?<\/details>/s.exec(renderHtml(result))?.[0] ?? '';
    expect(story).toMatch(/What happened in this window \(\d+\)/);
    // In time order: the fixture's notice at +700ms comes after ours at +500ms.
    expect(story.indexOf('+500ms eviction')).toBeLessThan(story.indexOf('+700ms aws notice'));
    expect(story).toContain('+500ms eviction of shop/backend-1 refused: budget backend');
    expect(story).not.toContain('not for readers');
    const failure = findAll(parseXml(renderJunit(result)), 'failure')[0]!;
    expect(failure.text).toMatch(/in this window:\n(.*\n)*\+500ms eviction of shop\/backend-1 refused: budget backend\n(.*\n)*\+20s w2 terminated \(stop\)/);
  });

  it('says nothing more where no cause is known', () => {
    const result = spotDrainResult();
    expect(renderMarkdown(result)).not.toContain('Why, and what to change');
    expect(renderHtml(result)).not.toContain('class="why"');
  });
});

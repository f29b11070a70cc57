import { describe, expect, it } from 'vitest';
import { labelOf, readableDetails } from '../../../src/report/details/readable.ts';
import { refusal, spotDrainStory } from '../../../src/report/details/spot-drain.ts';
import { faultStory, hasSection } from '../../../src/report/details/story.ts';
import { detailsText } from '../../../src/report/details/text.ts';
import { spotDrainResult } from '../../fixtures/report/sample-result.ts';

const ORIGIN = Date.UTC(2025, 5, 2, 9, 32, 30);
const at = (s: number) => ORIGIN + s * 1000;
const BUDGET = "Cannot evict pod as it would violate the pod's disruption budget. The disruption budget web needs 2 healthy pods and has 2 currently";

/** Anything that looks like serialised JSON or a key=value dump. */
const RAW = /[{}"]|\w=\[|\w=\{/;

describe('readableDetails', () => {
  it('moments recorded by assertions (t, start, end, since) read as times from the origin, not epoch numbers', () => {
    const view = readableDetails({ hits: [{ kind: 'pods-evicted', t: at(13), state: 'recovered', afterMs: 2_800 }], worstInterval: { requests: 199, start: at(10), end: at(20) } }, ORIGIN);
    expect(view.tables[0]!.rows).toEqual([['pods-evicted', '+13s', 'recovered', '2.8s']]);
    expect(view.facts).toEqual([{ label: 'Worst interval', value: 'requests 199, start +10s, end +20s' }]);
  });

  it('says what other faults recorded in words: node lists, units, times from the origin', () => {
    const view = readableDetails({ nodes: ['w1', 'w2'], 'peers:w1': ['cp', 'w3'], killed: [], gracePeriodSeconds: 0, reachedAfterMs: 12_500, stoppedAt: at(42), enforced: false, peak: 4 }, ORIGIN);
    expect(view.facts).toEqual([
      { label: 'Nodes', value: 'w1, w2' },
      { label: 'Peers of w1', value: 'cp, w3' },
      { label: 'Killed', value: 'none' },
      { label: 'Grace period', value: '0s' },
      { label: 'Reached after', value: '13s' },
      { label: 'Stopped at', value: '+42s' },
      { label: 'Enforced', value: 'no' },
      { label: 'Peak', value: '4' },
    ]);
    expect(view.tables).toEqual([]);
  });

  it('turns lists of records into tables and nested records into words, never JSON', () => {
    const view = readableDetails(
      {
        violations: [
          { pdb: 'web', healthy: 1, minAvailable: 2, at: at(31) },
          { pdb: 'api', healthy: 0 },
        ],
        thresholds: { metric: 'http_req_failed', ok: false },
      },
      ORIGIN,
    );
    expect(view.tables).toEqual([
      {
        title: 'Violations',
        columns: ['Pdb', 'Healthy', 'Min available', 'At'],
        rows: [
          ['web', '1', '2', '+31s'],
          ['api', '0', '', ''],
        ],
        more: 0,
      },
    ]);
    expect(view.facts).toEqual([{ label: 'Thresholds', value: 'metric http_req_failed, ok no' }]);
    expect(detailsText(view)).not.toMatch(RAW);
  });

  it('cuts long tables and counts the rest', () => {
    const view = readableDetails({ wrong: Array.from({ length: 25 }, (_, i) => ({ from: `a${i}`, to: 'b' })) }, ORIGIN);
    expect(view.tables[0]!.rows).toHaveLength(20);
    expect(view.tables[0]!.more).toBe(5);
    expect(detailsText(view)).toContain('… 5 more');
  });

  it('labels keys as words', () => {
    expect(['disruptionsAllowed', 'belowForSeconds', 'peers:w1', 'expected_allowed'].map(labelOf)).toEqual(['Disruptions allowed', 'Below for', 'Peers of w1', 'Expected allowed']);
  });
});

describe('spot-drain story', () => {
  const details = {
    node: 'w1',
    preset: { provider: 'aws', notice: 120_000, mechanism: 'evict', note: 'a handler drains', source: 'EC2 docs' },
    terminate: 'stop',
    noticeAt: at(30),
    replacement: 'spare-1',
    replacementReadyAt: at(30.5),
    drain: [
      { pod: 'shop/web-2', outcome: 'lost-with-node', attempts: 14, blockedBy: BUDGET },
      { pod: 'shop/api-1', outcome: 'evicted', attempts: 1, at: at(31) },
      { pod: 'shop/web-1', outcome: 'evicted', attempts: 3, blockedBy: BUDGET, at: at(44) },
    ],
    terminatedAt: at(150),
  };

  it('tells the notice, each eviction, the drain, the termination and the replacement', () => {
    const story = spotDrainStory(details, ORIGIN);
    expect(story.facts).toEqual([
      { label: 'Node', value: 'w1' },
      { label: 'Notice', value: 'aws, 2m 00s from notice to termination, given at +30s' },
      { label: 'Mechanism', value: 'drain through the Eviction API: PodDisruptionBudgets apply' },
      { label: 'Preset', value: 'a handler drains; timing from EC2 docs' },
      { label: 'Drain', value: 'not finished: 1 of 3 pods still on the node at the deadline (2 evicted, 1 lost with the node)' },
      { label: 'Node terminated', value: 'stopped at +2m 30s (2m 00s after the notice)' },
      { label: 'Replacement', value: 'spare-1 (the spare), Ready at +31s (500ms after the notice)' },
    ]);
    expect(story.tables).toEqual([
      {
        title: 'Evictions',
        columns: ['Pod', 'Outcome', 'Attempts', 'Refused by', 'When', 'After notice'],
        rows: [
          ['shop/api-1', 'evicted', '1', '', '+31s', '1s'],
          ['shop/web-1', 'evicted', '3', 'web: needs 2 healthy pods and has 2 currently', '+44s', '14s'],
          ['shop/web-2', 'lost with the node', '14', 'web: needs 2 healthy pods and has 2 currently', '', ''],
        ],
        more: 0,
      },
    ]);
    expect(story.moments.map((m) => [m.label, (m.t - ORIGIN) / 1000])).toEqual([
      ['notice', 30],
      ['replacement Ready', 30.5],
      ['1st eviction', 31],
      ['terminated', 150],
    ]);
    expect(story.summary).toEqual(['aws notice 2m 00s on w1', '2 evicted, 1 lost with the node', 'drain unfinished at the deadline', 'terminated at +2m 30s', 'replacement spare-1 Ready at +31s']);
  });

  it('says how long a finished drain took and marks its end', () => {
    const story = spotDrainStory({ ...details, drain: details.drain.slice(1), drainedAt: at(44) }, ORIGIN);
    expect(story.facts.find((f) => f.label === 'Drain')!.value).toBe('drained in 14s: 2 evicted');
    expect(story.summary).toContain('drained in 14s');
    expect(story.moments.map((m) => m.label)).toEqual(['notice', 'replacement Ready', '1st eviction', 'drained', 'terminated']);
  });

  it('says a shutdown deleted the pods directly and that budgets did not apply', () => {
    const story = spotDrainStory(
      {
        node: 'w1',
        preset: { provider: 'gcp', notice: 30_000, mechanism: 'shutdown' },
        noticeAt: at(10),
        drain: [{ pod: 'shop/web-1', outcome: 'deleted-by-shutdown', attempts: 1, at: at(10.2) }],
        drainedAt: at(10.2),
      },
      ORIGIN,
    );
    expect(story.facts.find((f) => f.label === 'Mechanism')!.value).toContain('PodDisruptionBudgets do not apply');
    expect(story.facts.find((f) => f.label === 'Shutdown')!.value).toBe('all pods deleted in 200ms: 1 deleted by the shutdown');
    expect(story.tables[0]!.title).toBe('Pods deleted by the shutdown');
    expect(story.moments.map((m) => m.label)).toEqual(['notice', 'pods deleted', 'drained']);
    // Drained but never terminated: the run ended first.
    expect(story.facts.find((f) => f.label === 'Node terminated')!.value).toBe('no: the run ended before the deadline');
  });

  it('says a node kept by terminate: none was not terminated', () => {
    const story = spotDrainStory({ ...details, terminate: 'none', terminatedAt: undefined }, ORIGIN);
    expect(story.facts.find((f) => f.label === 'Node terminated')!.value).toContain('terminate: none');
  });

  it('tells what a partial record has, and nothing it does not', () => {
    const story = spotDrainStory({ node: 'w1' }, ORIGIN);
    expect(story.facts).toEqual([{ label: 'Node', value: 'w1' }]);
    expect(story.tables).toEqual([]);
    expect(story.moments).toEqual([]);
  });

  it('names the budget in a refusal, and keeps other messages whole', () => {
    expect(refusal(BUDGET)).toBe('web: needs 2 healthy pods and has 2 currently');
    expect(refusal('Too many requests')).toBe('Too many requests');
  });

  it('is the story the report tells for the fixture, with no raw dump in it', () => {
    const result = spotDrainResult();
    const story = faultStory(result.faults[0]!, result.loadStartedAt!);
    expect(hasSection(story)).toBe(true);
    expect(detailsText(story)).not.toMatch(RAW);
    expect(detailsText(story)).toContain('Evictions:\n  - pod shop/backend-5b7d8-h4kx1, outcome evicted, attempts 1');
  });
});

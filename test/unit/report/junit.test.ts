import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../../src/report/junit.ts';
import type { RunResult } from '../../../src/core/result.ts';
import { erroredResult, passingResult, spotDrainResult } from '../../fixtures/report/sample-result.ts';
import { findAll, parseXml, type XmlElement } from './xml.ts';

function suiteOf(result: RunResult): XmlElement {
  const doc = parseXml(renderJunit(result));
  expect(doc.name).toBe('testsuites');
  const suites = findAll(doc, 'testsuite');
  expect(suites).toHaveLength(1);
  return suites[0]!;
}

function counts(el: XmlElement) {
  return { tests: el.attrs.tests, failures: el.attrs.failures, errors: el.attrs.errors, skipped: el.attrs.skipped };
}

describe('renderJunit', () => {
  it('emits one testcase per assertion per window with correct counts for a failed run', () => {
    const result = spotDrainResult();
    const xml = renderJunit(result);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const doc = parseXml(xml);
    const suite = suiteOf(result);
    expect(suite.attrs.name).toBe('spot-drain');
    expect(counts(suite)).toEqual({ tests: '10', failures: '1', errors: '0', skipped: '1' });
    expect(counts(doc)).toEqual(counts(suite));
    expect(suite.attrs.time).toBe('436.000');
    expect(suite.attrs.timestamp).toBe('2025-06-02T09:30:00Z');

    const cases = findAll(suite, 'testcase');
    expect(cases).toHaveLength(result.assertions.length);
    expect(cases.map((c) => `${c.attrs.classname} :: ${c.attrs.name}`)).toContain('shakedown.spot-drain.drain-worker2 :: backend-available (min-available)');
    for (const c of cases) expect(c.attrs.time).toMatch(/^\d+\.\d{3}$/);
    expect(cases.find((c) => c.attrs.name === 'frontend-recovers (recovery-time)')!.attrs.time).toBe('10.800');
  });

  it('puts the message in the failure attribute and message plus details in its body', () => {
    const suite = suiteOf(spotDrainResult());
    const failures = findAll(suite, 'failure');
    expect(failures).toHaveLength(1);
    const failure = failures[0]!;
    expect(failure.attrs.message).toBe('backend had 1/3 ready replicas for 16.0s (needs at least 2)');
    expect(failure.attrs.type).toBe('min-available');
    expect(failure.text).toContain('backend had 1/3 ready replicas');
    expect(failure.text).toContain('Below for: 16s');
    expect(failure.text).toContain('Pods: shop/backend-5b7d8-q9z2m, shop/backend-5b7d8-h4kx1');
    expect(failure.text).not.toMatch(/[{}[\]"]/);
  });

  it('marks skipped assertions with <skipped/>', () => {
    const suite = suiteOf(spotDrainResult());
    const skipped = findAll(suite, 'testcase').filter((c) => c.children.some((x) => x.name === 'skipped'));
    expect(skipped.map((c) => c.attrs.name)).toEqual(['backend-autoscaled (hpa)']);
    expect(skipped[0]!.children[0]!.attrs.message).toBe('no HorizontalPodAutoscaler targets deployment/backend');
  });

  it('reports a passing run with zero failures', () => {
    const suite = suiteOf(passingResult());
    expect(counts(suite)).toEqual({ tests: '4', failures: '0', errors: '0', skipped: '0' });
    expect(findAll(suite, 'failure')).toHaveLength(0);
  });

  it('adds one error testcase for a failed phase that caused the run error', () => {
    const suite = suiteOf(erroredResult());
    expect(counts(suite)).toEqual({ tests: '1', failures: '0', errors: '1', skipped: '0' });
    const [testcase] = findAll(suite, 'testcase');
    expect(testcase!.attrs.classname).toBe('shakedown.partition.phase');
    expect(testcase!.attrs.name).toBe('phase cluster');
    const error = findAll(testcase!, 'error')[0]!;
    // Newlines inside the attribute survive as character references.
    expect(error.attrs.message).toContain('\nERROR: failed to create cluster');
    expect(error.text).toContain('node(s) already exist for a cluster with the name "shakedown-partition"');
  });

  it('adds a run error testcase when the error is not a phase message, and one per failed fault', () => {
    const result = { ...spotDrainResult(), verdict: 'error' as const, error: 'k6 exited with code 107' };
    result.faults = result.faults.map((f) => (f.id === 'backend-latency' ? { ...f, state: 'failed' as const, message: 'tc: RTNETLINK answers: Operation not permitted' } : f));
    const suite = suiteOf(result);
    expect(counts(suite)).toEqual({ tests: '12', failures: '1', errors: '2', skipped: '1' });
    const errors = findAll(suite, 'testcase').filter((c) => c.children.some((x) => x.name === 'error'));
    expect(errors.map((c) => `${c.attrs.classname} :: ${c.attrs.name}`)).toEqual(['shakedown.spot-drain.backend-latency :: inject backend-latency (network-latency)', 'shakedown.spot-drain.run :: run']);
  });

  it('tells a failed spot drain in words in its error body', () => {
    const result = spotDrainResult();
    result.faults = result.faults.map((f) => (f.id === 'drain-worker2' ? { ...f, state: 'failed' as const, message: 'revert at teardown failed' } : f));
    const error = findAll(suiteOf(result), 'testcase').find((c) => c.attrs.name === 'inject drain-worker2 (spot-drain)')!.children[0]!;
    expect(error.text).toContain('Notice: aws, 45s from notice to termination, given at +31s');
    expect(error.text).toContain('Evictions:\n  - pod shop/backend-5b7d8-h4kx1, outcome evicted, attempts 1, when +31s, after notice 100ms');
    expect(error.text).toContain('refused by frontend: needs 2 healthy pods and has 2 currently');
    expect(error.text).not.toMatch(/[{}"]/);
  });

  it('turns an interrupted run without other errors into an error testcase so CI is not green', () => {
    const suite = suiteOf({ ...passingResult(), verdict: 'interrupted', exitCode: 130 });
    expect(suite.attrs.errors).toBe('1');
    expect(findAll(suite, 'error')[0]!.attrs.type).toBe('Interrupted');
  });

  it('escapes markup, quotes, ampersands and control characters everywhere', () => {
    const evil = 'a <script>alert("x")</script> & \'b\' ]]> \u0000nul \u001b[31mred\u001b[0m \u0007bell\ttab\r\nline2 \uD800lone';
    const result = spotDrainResult();
    result.scenario = 'spot "drain" <&>';
    result.assertions = result.assertions.map((a) => (a.status === 'failed' ? { ...a, name: `x<y>&"z"`, message: evil, details: { note: evil } } : a));
    result.cluster = { provider: 'kind', name: 'c&<"\'>' };
    const xml = renderJunit(result);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const suite = suiteOf(result);
    expect(suite.attrs.name).toBe('spot "drain" <&>');
    const failure = findAll(suite, 'failure')[0]!;
    // Invalid characters become U+FFFD, ANSI colour codes vanish, everything else round-trips.
    expect(failure.attrs.message).toBe('a <script>alert("x")</script> & \'b\' ]]> \uFFFDnul red \uFFFDbell\ttab\r\nline2 \uFFFDlone');
    expect(findAll(suite, 'testcase').map((c) => c.attrs.name)).toContain('x<y>&"z" (min-available)');
    expect(findAll(suite, 'property').find((p) => p.attrs.name === 'cluster.name')!.attrs.value).toBe('c&<"\'>');
  });

  it('keeps classnames to three dot-separated parts', () => {
    const result = passingResult();
    result.scenario = 'v1.2-upgrade';
    const cases = findAll(suiteOf(result), 'testcase');
    for (const c of cases) expect(c.attrs.classname!.split('.')).toHaveLength(3);
  });
});

describe('parseXml (test helper)', () => {
  it('rejects malformed documents', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a>x & y</a>')).toThrow(/unescaped &/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/invalid XML character/);
    expect(() => parseXml('<a/><b/>')).toThrow(/more than one root/);
    expect(() => parseXml('<a x=1/>')).toThrow(/malformed/);
    expect(parseXml('<a x="&lt;&#10;"><b>t&amp;</b></a>').children[0]!.text).toBe('t&');
  });
});

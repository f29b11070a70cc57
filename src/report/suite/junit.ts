// The suite's junit.xml: a <testsuite> per scenario, a <testcase> per
// assertion per window, repeats merged as Maven Surefire merges reruns, so
// CI tools that know Surefire show flakes and the rest still read it:
//   - held every time: a plain testcase;
//   - failed every time: <failure> (or <error>) for the first run, then a
//     <rerunFailure> (<rerunError>) for each later one;
//   - failed, and held in another run: no <failure>, a <flakyFailure>
//     (<flakyError>) for each run that failed; Surefire counts it as passed.
// A scenario the suite could not run gets one <error type="NotRun"> case.
import { isoTime, seconds } from '../format.ts';
import { classname, renderCase, runCases, type Case } from '../junit.ts';
import { escapeXml, escapeXmlAttr } from '../text.ts';
import { describeStatus } from '../../history/status.ts';
import type { SuiteOutcome, SuiteScenario } from './outcome.ts';

interface Merged {
  base: Case;
  /** The case as each run saw it; undefined where a run had no such case. */
  attempts: Array<{ runLabel: string; c: Case | undefined }>;
}

function merge(scenario: SuiteScenario): Merged[] {
  const byKey = new Map<string, Merged>();
  scenario.runs.forEach((run, i) => {
    for (const c of runCases(run.result)) {
      const key = `${c.classname}\u0000${c.name}`;
      if (!byKey.has(key)) byKey.set(key, { base: c, attempts: scenario.runs.map((r) => ({ runLabel: r.label, c: undefined })) });
      byKey.get(key)!.attempts[i]!.c = c;
    }
  });
  return [...byKey.values()];
}

const failing = (c: Case | undefined) => c?.outcome?.tag === 'failure' || c?.outcome?.tag === 'error';

/** One testcase's XML lines, with its repeats in Surefire's elements. */
function renderMerged(m: Merged, repeated: boolean): { lines: string[]; tag?: 'failure' | 'error' | 'skipped' } {
  const seen = m.attempts.filter((a) => a.c);
  const failed = seen.filter((a) => failing(a.c));
  const last = seen[seen.length - 1]!.c!;
  const time = seconds(last.time);
  const open = `    <testcase classname="${escapeXmlAttr(m.base.classname)}" name="${escapeXmlAttr(m.base.name)}" time="${time}"`;
  if (!repeated || failed.length === 0) {
    return { lines: renderCase(last), ...(last.outcome && { tag: last.outcome.tag }) };
  }
  const rerun = (prefix: 'rerun' | 'flaky', a: { runLabel: string; c: Case | undefined }) => {
    const o = a.c!.outcome!;
    const tag = `${prefix}${o.tag === 'error' ? 'Error' : 'Failure'}`;
    const body = o.body ?? o.message;
    return `      <${tag} message="${escapeXmlAttr(`${a.runLabel}: ${o.message}`)}" type="${escapeXmlAttr(o.type)}"><stackTrace>${escapeXml(body)}</stackTrace></${tag}>`;
  };
  if (failed.length === seen.length) {
    const [first, ...rest] = failed;
    const o = first!.c!.outcome!;
    const tag = o.tag as 'failure' | 'error';
    const head = `      <${tag} message="${escapeXmlAttr(`${first!.runLabel}: ${o.message}`)}" type="${escapeXmlAttr(o.type)}">${escapeXml(o.body ?? o.message)}</${tag}>`;
    return { lines: [`${open}>`, head, ...rest.map((a) => rerun('rerun', a)), '    </testcase>'], tag };
  }
  return { lines: [`${open}>`, ...failed.map((a) => rerun('flaky', a)), '    </testcase>'] };
}

function renderScenario(scenario: SuiteScenario, id: number, startedAt: number): { lines: string[]; totals: Record<'tests' | 'failures' | 'errors' | 'skipped', number>; time: number } {
  const repeated = scenario.runs.length > 1;
  const rendered =
    scenario.status.kind === 'not-run' || scenario.runs.length === 0
      ? [{ lines: renderCase({ classname: classname(scenario.name, 'suite'), name: 'not run', time: 0, outcome: { tag: 'error', type: 'NotRun', message: describeStatus(scenario.status) } }), tag: 'error' as const }]
      : merge(scenario).map((m) => renderMerged(m, repeated));
  const count = (tag: string) => rendered.filter((r) => r.tag === tag).length;
  const totals = { tests: rendered.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
  const time = scenario.runs.reduce((sum, r) => sum + (r.result.finishedAt - r.result.startedAt), 0);
  const started = scenario.runs[0]?.result.startedAt ?? startedAt;
  const properties: Array<[string, string]> = [
    ['status', scenario.status.kind],
    ['status.message', describeStatus(scenario.status)],
    ['file', scenario.file],
    ['runs', scenario.runs.map((r) => r.result.runId).join(' ')],
  ];
  return {
    totals,
    time,
    lines: [
      `  <testsuite name="${escapeXmlAttr(scenario.name)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${seconds(time)}" timestamp="${isoTime(started).replace(/\.\d+Z$/, 'Z')}" id="${id}">`,
      '    <properties>',
      ...properties.map(([name, value]) => `      <property name="${escapeXmlAttr(name)}" value="${escapeXmlAttr(value)}"/>`),
      '    </properties>',
      ...rendered.flatMap((r) => r.lines),
      '  </testsuite>',
    ],
  };
}

export function renderSuiteJunit(outcome: SuiteOutcome): string {
  const suites = outcome.scenarios.map((s, i) => renderScenario(s, i, outcome.startedAt));
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s.totals[key], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXmlAttr(`shakedown ${outcome.suite}`)}" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}" skipped="${sum('skipped')}" time="${seconds(outcome.finishedAt - outcome.startedAt)}">`,
    ...suites.flatMap((s) => s.lines),
    '</testsuites>',
    '',
  ].join('\n');
}

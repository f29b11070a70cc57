// junit.xml: one <testsuite> per run, one <testcase> per assertion per window,
// plus <error> testcases for anything that makes the run itself untrustworthy
// (run error, failed phase, fault that could not be injected, interruption),
// so CI never shows green for a run that did not really test anything.
// Uses only the attributes the common consumers agree on (Jenkins JUnit,
// GitHub Actions test reporters, GitLab): tests/failures/errors/skipped/time.
import { readableDetails } from './details/readable.ts';
import { faultStory } from './details/story.ts';
import { detailsText } from './details/text.ts';
import { isoTime, seconds, timeOrigin, verdictWord, explanationLines } from './format.ts';
import type { AssertionRecord, RunResult } from '../core/result.ts';
import { escapeXml, escapeXmlAttr } from './text.ts';
import { windowStory } from './window-story.ts';

export interface Case {
  classname: string;
  name: string;
  time: number;
  outcome?: { tag: 'failure' | 'error' | 'skipped'; type: string; message: string; body?: string };
}

/** Every testcase of one run: its assertions per window, then what made the run untrustworthy. */
export function runCases(result: RunResult): Case[] {
  return [...result.assertions.map((a) => assertionCase(result, a)), ...errorCases(result)];
}

export function renderJunit(result: RunResult): string {
  const cases = runCases(result);
  const count = (tag: 'failure' | 'error' | 'skipped') => cases.filter((c) => c.outcome?.tag === tag).length;
  const totals = {
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: seconds(result.finishedAt - result.startedAt),
  };
  const counters = `tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${totals.time}"`;

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shakedown" ${counters}>`,
    `  <testsuite name="${escapeXmlAttr(result.scenario)}" ${counters} timestamp="${isoTime(result.startedAt).replace(/\.\d+Z$/, 'Z')}" hostname="${escapeXmlAttr(result.cluster?.name ?? 'none')}" id="0">`,
    '    <properties>',
    ...properties(result).map(([name, value]) => `      <property name="${escapeXmlAttr(name)}" value="${escapeXmlAttr(value)}"/>`),
    '    </properties>',
    ...cases.flatMap(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function assertionCase(result: RunResult, a: AssertionRecord): Case {
  const base = {
    classname: classname(result.scenario, a.window),
    name: `${a.name} (${a.type})`,
    time: (a.durationSeconds ?? 0) * 1000,
  };
  if (a.status === 'failed') {
    const details = detailsText(readableDetails(a.details, timeOrigin(result)));
    const story = windowStory(result, a);
    const body = [a.message, explanationLines(a.explanation).join('\n'), story.length ? `in this window:\n${story.join('\n')}` : '', details].filter(Boolean).join('\n\n');
    return { ...base, outcome: { tag: 'failure', type: a.type, message: a.message, body } };
  }
  if (a.status === 'skipped') return { ...base, outcome: { tag: 'skipped', type: 'skipped', message: a.message } };
  return base;
}

function errorCases(result: RunResult): Case[] {
  const cases: Case[] = [];
  const failedPhases = result.phases.filter((p) => p.status === 'failed');
  for (const p of failedPhases) {
    const message = p.message ?? `phase ${p.phase} failed`;
    cases.push({
      classname: classname(result.scenario, 'phase'),
      name: `phase ${p.phase}`,
      time: (p.finishedAt ?? result.finishedAt) - p.startedAt,
      outcome: { tag: 'error', type: 'PhaseFailed', message, body: message },
    });
  }
  for (const f of result.faults.filter((f) => f.state === 'failed')) {
    const message = f.message ?? `fault ${f.id} could not be injected`;
    const details = detailsText(faultStory(f, timeOrigin(result)));
    cases.push({
      classname: classname(result.scenario, f.id),
      name: `inject ${f.id} (${f.type})`,
      time: f.startedAt !== undefined && f.endedAt !== undefined ? f.endedAt - f.startedAt : 0,
      outcome: { tag: 'error', type: 'FaultFailed', message, body: details ? `${message}\n\n${details}` : message },
    });
  }
  // The run error usually repeats the failed phase's message; one testcase is enough then.
  const error = result.error;
  if (error !== undefined && !failedPhases.some((p) => p.message === error)) {
    cases.push({
      classname: classname(result.scenario, 'run'),
      name: 'run',
      time: result.finishedAt - result.startedAt,
      outcome: { tag: 'error', type: 'RunError', message: firstLine(error), body: error },
    });
  } else if (result.verdict === 'interrupted' && cases.length === 0) {
    cases.push({
      classname: classname(result.scenario, 'run'),
      name: 'run',
      time: result.finishedAt - result.startedAt,
      outcome: { tag: 'error', type: 'Interrupted', message: 'run was interrupted before it finished' },
    });
  }
  return cases;
}

export function renderCase(c: Case): string[] {
  const open = `    <testcase classname="${escapeXmlAttr(c.classname)}" name="${escapeXmlAttr(c.name)}" time="${seconds(c.time)}"`;
  if (!c.outcome) return [`${open}/>`];
  const { tag, type, message, body } = c.outcome;
  const attrs = `message="${escapeXmlAttr(message)}" type="${escapeXmlAttr(type)}"`;
  const inner = body ? `<${tag} ${attrs}>${escapeXml(body)}</${tag}>` : `<${tag} ${attrs}/>`;
  return [`${open}>`, `      ${inner}`, '    </testcase>'];
}

function properties(result: RunResult): Array<[string, string]> {
  const props: Array<[string, string | undefined]> = [
    ['runId', result.runId],
    ['file', result.file],
    ['verdict', verdictWord(result.verdict)],
    ['exitCode', String(result.exitCode)],
    ['startedAt', isoTime(result.startedAt)],
    ['finishedAt', isoTime(result.finishedAt)],
    ['loadStartedAt', result.loadStartedAt === undefined ? undefined : isoTime(result.loadStartedAt)],
    ['cluster.provider', result.cluster?.provider],
    ['cluster.name', result.cluster?.name],
    ['cluster.kubernetesVersion', result.cluster?.kubernetesVersion],
    ['cluster.cni', result.cluster?.cni],
    ['cluster.nodes', result.cluster?.nodes === undefined ? undefined : String(result.cluster.nodes)],
  ];
  return props.filter((p): p is [string, string] => p[1] !== undefined);
}

/** Dots separate package levels in CI viewers, so they are replaced inside the parts. */
export function classname(scenario: string, window: string): string {
  return ['shakedown', scenario, window].map((part) => part.replace(/\./g, '_')).join('.');
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? text;
}

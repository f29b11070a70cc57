// preflight as JUnit: one testcase per node drain (failed when it blocks),
// one per other finding (failed when a blocker; warnings and info pass,
// with their text as system-out), so CI shows each blocker by name.
import { escapeXml, escapeXmlAttr } from '../report/text.ts';
import type { Finding } from './findings.ts';
import type { PreflightReport } from './report.ts';

interface Case {
  classname: string;
  name: string;
  failure?: { type: string; message: string; body: string };
  out?: string;
}

function findingText(f: Finding): string {
  return `${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`;
}

function cases(report: PreflightReport): Case[] {
  const byNode = new Map<string, Finding[]>();
  for (const f of report.findings) if (f.check === 'drain' && f.node) byNode.set(f.node, [...(byNode.get(f.node) ?? []), f]);
  const drains = report.drain.nodes.map((node): Case => {
    const blockers = byNode.get(node.node) ?? [];
    const runs = report.dryRuns[node.node] ?? [];
    const out = [
      `${node.evictions.length} evictions`,
      ...runs.map((run) => `dry-run eviction of ${run.pod}: ${run.result}${'message' in run ? ` (${run.message})` : ''}${run.sameAs ? ` (answered by the dry run of ${run.sameAs}: same workload, budget and health)` : ''}`),
    ].join('\n');
    return {
      classname: 'shakedown.preflight.drain',
      name: `drain ${node.node} (${node.role})`,
      ...(blockers.length ? { failure: { type: 'DrainBlocked', message: blockers[0]!.message, body: blockers.map(findingText).join('\n\n') } } : {}),
      out,
    };
  });
  const others = report.findings
    .filter((f) => f.check !== 'drain')
    .map(
      (f): Case => ({
        classname: `shakedown.preflight.${f.check}`,
        name: f.object,
        ...(f.severity === 'blocker' ? { failure: { type: f.check, message: f.message, body: findingText(f) } } : { out: `${f.severity}: ${findingText(f)}` }),
      }),
    );
  return [...drains, ...others];
}

function renderCase(c: Case): string[] {
  const open = `    <testcase classname="${escapeXmlAttr(c.classname)}" name="${escapeXmlAttr(c.name)}" time="0"`;
  const inner = [
    ...(c.failure ? [`      <failure message="${escapeXmlAttr(c.failure.message)}" type="${escapeXmlAttr(c.failure.type)}">${escapeXml(c.failure.body)}</failure>`] : []),
    ...(c.out ? [`      <system-out>${escapeXml(c.out)}</system-out>`] : []),
  ];
  return inner.length ? [`${open}>`, ...inner, '    </testcase>'] : [`${open}/>`];
}

export function renderJunit(report: PreflightReport): string {
  const all = cases(report);
  const failures = all.filter((c) => c.failure).length;
  const time = ((report.timings.readMs + report.timings.analyseMs) / 1000).toFixed(3);
  const counters = `tests="${all.length}" failures="${failures}" errors="0" skipped="0" time="${time}"`;
  const properties: Array<[string, string | undefined]> = [
    ['context', report.context],
    ['cluster.kubernetesVersion', report.cluster.serverVersion],
    ['target', report.target],
    ['blockers', String(report.blockers)],
    ['warnings', String(report.warnings)],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shakedown preflight" ${counters}>`,
    `  <testsuite name="${escapeXmlAttr(`preflight ${report.context}`)}" ${counters} id="0">`,
    '    <properties>',
    ...properties.filter((p): p is [string, string] => p[1] !== undefined).map(([name, value]) => `      <property name="${escapeXmlAttr(name)}" value="${escapeXmlAttr(value)}"/>`),
    '    </properties>',
    ...all.flatMap(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

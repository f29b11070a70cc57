// The readable preflight report: the drain node by node, then the findings
// by severity, each with its fix, then the verdict.
import type { Finding, Severity } from './findings.ts';
import type { DrainPlan, NodeDrain } from './drain.ts';
import type { DryRunResult, PreflightReport } from './report.ts';

const LABEL: Record<Severity, string> = { blocker: 'BLOCKER', warning: 'WARNING', info: 'INFO' };

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function dryRunText(runs: DryRunResult[] | undefined): string {
  if (!runs?.length) return '-';
  return runs.map((run) => `${run.result} (${run.pod}${run.sameAs ? `, as for ${run.sameAs}` : ''})`).join(', ');
}

function outcome(node: NodeDrain): string {
  if (node.blocked) return 'BLOCKS';
  if (node.evictions.some((e) => e.unplaced)) return 'drains, some pods Pending';
  return node.evictions.length ? 'drains' : 'nothing to evict';
}

/** Lines about one node's evictions: every refusal and every pod left without a node; others only with `all`. */
function evictionLines(node: NodeDrain, all: boolean): string[] {
  return node.evictions
    .filter((e) => all || e.outcome === 'refused' || e.unplaced || e.waitedFor || e.notRecreated)
    .map((e) => {
      if (e.outcome === 'refused') return `    ${e.pod}: REFUSED: ${e.refusal}`;
      const wait = e.waitedFor ? `, after waiting for ${e.waitedFor.join(', ')} to be Ready` : '';
      const budget = e.budget ? ` (budget ${e.budget}${wait})` : wait ? ` (${wait.slice(2)})` : '';
      if (e.notRecreated) return `    ${e.pod}: evicted, not recreated (no controller)${budget}`;
      if (e.unplaced) return `    ${e.pod}: evicted${budget}, Pending: ${e.unplaced}`;
      return `    ${e.pod} -> ${e.placedOn}${budget}`;
    });
}

export function drainTable(plan: DrainPlan, dryRuns: Record<string, DryRunResult[]>, all = false): string[] {
  const width = Math.max(4, ...plan.nodes.map((n) => n.node.length)) + 2;
  const lines = [`${pad('NODE', width)}${pad('ROLE', 15)}${pad('EVICTS', 8)}${pad('RESULT', 27)}DRY-RUN EVICTIONS NOW`];
  for (const node of plan.nodes) {
    lines.push(`${pad(node.node, width)}${pad(node.role, 15)}${pad(String(node.evictions.length), 8)}${pad(outcome(node), 27)}${dryRunText(dryRuns[node.node])}`);
  }
  for (const node of plan.nodes) {
    const details = [...node.placedBeforeDrain.map((p) => `    ${p.pod}: Pending from an earlier drain, placed on ${p.node} before this one`), ...evictionLines(node, all)];
    if (details.length) lines.push('', `  ${node.node}:`, ...details);
  }
  return lines;
}

function findingLines(f: Finding): string[] {
  const lines = [`  ${pad(LABEL[f.severity], 8)} ${f.check}: ${f.object}${f.node && !f.object.includes(f.node) ? ` [node ${f.node}]` : ''}`, `           ${f.message}`];
  if (f.fix) lines.push(`           fix: ${f.fix}`);
  return lines;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function verdictLine(report: Pick<PreflightReport, 'blockers' | 'warnings'>): string {
  if (report.blockers) return `Verdict: ${count(report.blockers, 'blocker')}, ${count(report.warnings, 'warning')}: the upgrade as planned would not go through.`;
  return `Verdict: no blocker${report.warnings ? ` (${count(report.warnings, 'warning')})` : ''}: every drain goes through.`;
}

export function renderTable(report: PreflightReport, options: { all?: boolean } = {}): string {
  const c = report.cluster;
  const lines = [
    `shakedown preflight: context ${report.context}${c.serverVersion ? `, Kubernetes ${c.serverVersion}` : ''}, ${c.nodes} nodes, ${c.pods} pods, ${c.budgets} budgets${report.target ? `; target ${report.target}` : ''}`,
    ...(report.namespaces ? [`Findings limited to namespaces: ${report.namespaces.join(', ')}`] : []),
    `Read in ${report.timings.readMs} ms, simulated in ${report.timings.analyseMs} ms. Nothing was written; first evictions were dry runs.`,
    '',
    'Rolling drain (control plane, then workers; each node back, uncordoned, before the next):',
    ...drainTable(report.drain, report.dryRuns, options.all),
    '',
  ];
  if (report.findings.length) {
    lines.push(`Findings (${count(report.blockers, 'blocker')}, ${count(report.warnings, 'warning')}):`);
    for (const f of report.findings) lines.push(...findingLines(f));
    lines.push('');
  }
  lines.push(verdictLine(report), '');
  return lines.join('\n');
}

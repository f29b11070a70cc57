// The preflight report: the simulated drain, what the dry-run evictions
// said, and every finding, assembled from the pure checks. The renderers
// read only this.
import { BudgetLedger } from './budgets.ts';
import { deprecatedApiFindings, type DeprecatedApiUse } from './deprecated-metric.ts';
import { simulateRollingDrain, type DrainPlan } from './drain.ts';
import { bySeverity, type Finding } from './findings.ts';
import { parseKubeVersion, versionText, type KubeVersion } from './k8s-version.ts';
import { manifestFindings, type ManifestScan } from './manifest-apis.ts';
import type { Snapshot } from './model.ts';
import { standingRisks } from './risks.ts';
import { controlPlaneFindings, nodeSkewFindings } from './skew.ts';

/** `sameAs`: the pod whose dry run answered for this one (same workload, budget and health, so the same answer). */
export type DryRunResult =
  | { pod: string; result: 'allowed'; sameAs?: string }
  /** 429: a budget refuses it now; 500: more than one budget. */
  | { pod: string; result: 'refused'; message: string; sameAs?: string }
  | { pod: string; result: 'forbidden' | 'failed'; message: string; sameAs?: string };

export interface PreflightReport {
  context: string;
  cluster: { serverVersion?: string; nodes: number; pods: number; budgets: number };
  target?: string;
  /** Namespaces the findings are limited to; absent: all. */
  namespaces?: string[];
  drain: DrainPlan;
  /** Dry-run evictions by node: one eviction it makes, and its first refused one (dry-run-targets.ts). */
  dryRuns: Record<string, DryRunResult[]>;
  findings: Finding[];
  blockers: number;
  warnings: number;
  timings: { readMs: number; analyseMs: number };
}

export interface VersionInputs {
  target: KubeVersion;
  manifests?: ManifestScan;
  /** Undefined when the metric could not be read (a warning says why). */
  deprecatedApis?: DeprecatedApiUse[];
}

export interface AnalyseOptions {
  context: string;
  namespaces?: string[];
  versions?: VersionInputs;
}

/** Everything but the dry runs: pure over the snapshot. */
export function analyse(snapshot: Snapshot, options: AnalyseOptions): Omit<PreflightReport, 'dryRuns' | 'timings'> {
  const inScope = options.namespaces?.length ? (ns: string) => options.namespaces!.includes(ns) : () => true;
  const drain = simulateRollingDrain(snapshot);
  const ledger = new BudgetLedger(snapshot.budgets, snapshot.pods, snapshot.workloads, (p) => (p.ready ? 'ready' : 'unready'));
  const findings = [...drainFindings(drain, inScope), ...standingRisks(snapshot, ledger, inScope)];
  const versions = options.versions;
  if (versions) {
    const targetText = versionText(versions.target);
    findings.push(...controlPlaneFindings(parseKubeVersion(snapshot.serverVersion), versions.target));
    findings.push(...nodeSkewFindings(snapshot.nodes, snapshot.pods, versions.target));
    if (versions.manifests) findings.push(...manifestFindings(versions.manifests, targetText));
    if (versions.deprecatedApis) findings.push(...deprecatedApiFindings(versions.deprecatedApis, versions.target.minor, targetText));
  }
  return {
    context: options.context,
    cluster: { ...(snapshot.serverVersion && { serverVersion: snapshot.serverVersion }), nodes: snapshot.nodes.length, pods: snapshot.pods.length, budgets: snapshot.budgets.length },
    ...(versions && { target: versionText(versions.target) }),
    ...(options.namespaces?.length && { namespaces: options.namespaces }),
    drain,
    ...tally(findings),
  };
}

export function tally(findings: Finding[]): { findings: Finding[]; blockers: number; warnings: number } {
  const sorted = [...findings].sort(bySeverity);
  return { findings: sorted, blockers: sorted.filter((f) => f.severity === 'blocker').length, warnings: sorted.filter((f) => f.severity === 'warning').length };
}

function namespaceOf(podKey: string): string {
  return podKey.split('/')[0] ?? '';
}

/** A blocker per refused eviction; a warning per pod left with no node while its node is out, or after. */
export function drainFindings(plan: DrainPlan, inScope: (namespace: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  // A pod Pending to the end is reported once, at the end.
  const neverPlaced = new Set(plan.stillPending.map((p) => p.pod));
  for (const node of plan.nodes) {
    for (const e of node.evictions) {
      if (!inScope(namespaceOf(e.pod))) continue;
      if (e.outcome === 'refused') {
        findings.push({
          severity: 'blocker',
          check: 'drain',
          object: `Pod ${e.pod}`,
          node: node.node,
          message: `the drain of node ${node.node} blocks: evicting ${e.pod} is refused: ${e.refusal}`,
          fix:
            e.cause === 'two-budgets'
              ? 'make the budgets select disjoint pods, one budget per workload'
              : /Pending since node/.test(e.refusal ?? '')
                ? 'give the evicted pods room on the other nodes (another node, smaller requests, a toleration), or let the budget allow more disruptions'
                : `let budget ${e.budget} allow one disruption (maxUnavailable: 1, or minAvailable below the replicas)`,
        });
      } else if (e.unplaced && !neverPlaced.has(e.pod)) {
        findings.push({
          severity: 'warning',
          check: 'no-room',
          object: `Pod ${e.pod}`,
          node: node.node,
          message: `evicted from node ${node.node}, it has no node to go to while ${node.node} is out, and stays Pending: ${e.unplaced}`,
          fix: 'leave room for it on another node, or relax what keeps it off them',
        });
      }
    }
  }
  for (const p of plan.stillPending.filter((p) => inScope(namespaceOf(p.pod)))) {
    findings.push({
      severity: 'warning',
      check: 'no-room',
      object: `Pod ${p.pod}`,
      node: p.from,
      message: `evicted from node ${p.from}, it is still Pending when every node is back: ${p.why}`,
      fix: 'leave room for it, or relax what keeps it off the nodes',
    });
  }
  return findings;
}

/**
 * The dry-run evictions against what the simulation decided for the same
 * pods: `findings` with drain blockers the API server confirms saying so,
 * and new findings where the two disagree.
 */
export function withDryRuns(findings: Finding[], plan: DrainPlan, dryRuns: Record<string, DryRunResult[]>): Finding[] {
  const out = [...findings];
  const forbidden = Object.values(dryRuns)
    .flat()
    .filter((d): d is Extract<DryRunResult, { message: string }> => d.result === 'forbidden');
  if (forbidden.length) {
    out.push({
      severity: 'warning',
      check: 'dry-run',
      object: 'pods/eviction',
      message: `dry-run evictions are forbidden to this user (${forbidden[0]!.message}), so no eviction was confirmed by the API server`,
      fix: 'grant create on pods/eviction (the dry runs write nothing)',
    });
  }
  for (const node of plan.nodes) {
    for (const run of dryRuns[node.node] ?? []) {
      const simulated = node.evictions.find((e) => e.pod === run.pod);
      if (!simulated) continue;
      if (run.result === 'refused' && simulated.outcome === 'evicted') {
        out.push({
          severity: 'blocker',
          check: 'dry-run',
          object: `Pod ${run.pod}`,
          node: node.node,
          message: `the API server refuses a dry-run eviction of ${run.pod} now, first on node ${node.node}: ${run.message}`,
          fix: 'see which budget the message names; it allows no disruption at the moment',
        });
      } else if (run.result === 'refused') {
        const i = out.findIndex((f) => f.check === 'drain' && f.node === node.node && f.object === `Pod ${run.pod}`);
        if (i >= 0) out[i] = { ...out[i]!, message: `${out[i]!.message} (a dry-run eviction is refused now too: ${run.message})` };
      } else if (run.result === 'allowed' && simulated.outcome === 'refused') {
        out.push({ severity: 'info', check: 'dry-run', object: `Pod ${run.pod}`, node: node.node, message: `the API server would evict ${run.pod} now; the simulation refuses it only at this point of the sequence, after the evictions before it` });
      } else if (run.result === 'failed') {
        out.push({ severity: 'warning', check: 'dry-run', object: `Pod ${run.pod}`, node: node.node, message: `the dry-run eviction of ${run.pod} failed: ${run.message}` });
      }
    }
  }
  return out;
}

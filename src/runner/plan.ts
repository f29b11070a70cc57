// The plan: what a run will do, in order, without touching anything.
// `--dry-run` prints it; the report keeps it.
import { k6Thresholds } from '../load/thresholds.ts';
import { durationText } from '../scenario/duration.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Registries } from './registries.ts';
import { buildTimeline, renderTimeline } from '../scenario/timeline.ts';

export function planLines(scenario: Scenario, registries: Registries, options: { clusterName?: string; keep?: boolean; reuse?: boolean; seed?: number; stackNotes?: string[] } = {}): string[] {
  const c = scenario.cluster;
  const name = options.clusterName ?? c.name ?? `shakedown-${scenario.name}`;
  const lines = [`Scenario ${scenario.name} (${scenario.file})`];
  if (scenario.description) lines.push(`  ${scenario.description}`);
  lines.push('', 'Plan:');
  let step = 0;
  const add = (text: string) => lines.push(`  ${++step}. ${text}`);
  add('preflight: check tools, Docker engine and images');
  if (c.provider === 'kind') {
    add(
      `cluster: ${options.reuse || c.reuse ? 'reuse or create' : 'create'} kind cluster "${name}" (Kubernetes ${c.kubernetesVersion ?? "the node image's version"}, CNI ${c.cni}, 1 control-plane + ${c.workers} workers${c.spare ? ` + ${c.spare} spare` : ''}, fence ${c.fence})`,
    );
  } else {
    add(`cluster: attach to existing context "${c.context}" (read-only checks unless faults are listed)`);
  }
  const stack = scenario.stack;
  add(`stack: ${stack.sample ? `sample web stack (${stack.variant})` : 'no sample stack'}${stack.manifests.length ? ` + ${stack.manifests.join(', ')}` : ''} in namespace ${stack.namespace}`);
  for (const note of options.stackNotes ?? []) lines.push(`       ${note}`);
  add(`steady state: ${scenario.assertions.map((a) => a.name).join(', ') || 'no assertions'} must hold before any fault`);
  if (scenario.load) {
    const l = scenario.load;
    add(`load: k6 ${l.rate ? `${l.rate} req/s` : `${l.vus} VUs`} for ${durationText(l.duration)} against service ${l.target.service}:${l.target.port}${l.target.path}`);
    const thresholds = k6Thresholds(l);
    if (thresholds)
      add(
        `  k6 thresholds over the whole load (k6 judges; crossing one fails the run): ${Object.entries(thresholds)
          .map(([m, e]) => `${m} ${e.join(', ')}`)
          .join('; ')}`,
      );
  }
  for (const fault of scenario.faults) {
    const type = registries.faults[fault.type]!;
    add(`fault ${fault.id} (${fault.type}): ${type.summary}`);
    for (const line of type.describe(fault.params, fault)) lines.push(`       ${line}`);
  }
  for (const assertion of scenario.assertions) {
    const type = registries.assertions[assertion.type]!;
    add(`assert ${assertion.name}: ${type.describe(assertion.params)}`);
  }
  add(`recovery: up to ${durationText(scenario.recoveryTimeout)}`);
  add(`report: ${scenario.report.formats.join(', ')} under .shakedown/runs/<run id>/`);
  add(options.keep ? 'teardown: revert every fault; keep the cluster (--keep)' : 'teardown: revert every fault, delete the cluster if this run created it');
  if (options.seed !== undefined && scenario.faults.length)
    lines.push('', `Seed ${options.seed}: --seed ${options.seed} makes the same choices again (which pods); nodes are chosen by load and name, and the scheduler's placements are the cluster's own.`);
  lines.push('', 'Timeline (from the start of load):', ...renderTimeline(buildTimeline(scenario)).map((l) => `  ${l}`));
  return lines;
}

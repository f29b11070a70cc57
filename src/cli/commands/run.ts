// `shakedown run <scenario>`: plan, or run and report. With
// `--provider aws,gcp` the scenario runs once per spot preset on the same
// cluster and one comparison report puts the verdicts side by side.
import { join } from 'node:path';
import { UsageError } from '../../errors.ts';
import { PRESETS, type Provider } from '../../faults/spot-drain/presets.ts';
import { defaultRegistries } from '../../registries.ts';
import { writeComparison, type Compared } from '../../report/compare.ts';
import { EventBus } from '../../runner/events.ts';
import { planLines } from '../../runner/plan.ts';
import { createPorts } from '../../runner/real-ports.ts';
import { newRunId, runScenario } from '../../runner/run.ts';
import { ledgerSharedCluster } from '../../runner/shared-cluster.ts';
import { interruptOnSignals } from '../../runner/signals.ts';
import { loadFile } from '../../scenario/loader.ts';
import type { Scenario, Suite } from '../../scenario/model.ts';
import { CNIS } from '../../scenario/schema.ts';
import { kindClusters } from '../../clusters/kind/provider.ts';
import type { CliIo } from '../io.ts';
import type { Verbosity } from '../output/format.ts';
import { attachView, type OutputMode } from '../output/views.ts';

export interface RunFlags {
  dryRun: boolean;
  keep: boolean;
  reuse: boolean;
  output: OutputMode;
  verbosity: Verbosity;
  cni?: string;
  provider?: string;
  clusterName?: string;
  stateDir: string;
}

function parseProviders(value: string | undefined): Provider[] {
  if (!value) return [];
  const list = value.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of list) if (!(p in PRESETS)) throw new UsageError(`--provider must be a comma-separated list of ${Object.keys(PRESETS).join(', ')} (got ${p})`);
  return list as Provider[];
}

/** The scenario with every spot-drain fault set to the provider's preset. */
function withProvider(scenario: Scenario, provider: Provider): Scenario {
  if (!scenario.faults.some((f) => f.type === 'spot-drain')) throw new UsageError(`--provider applies to spot-drain faults; ${scenario.file} has none`);
  return {
    ...scenario,
    faults: scenario.faults.map((f) => (f.type === 'spot-drain' ? { ...f, params: { ...(f.params as object), provider } } : f)),
  };
}

/** A suite's scenarios, each `repeat` times, all on the suite's one cluster. */
function suiteVariants(suite: Suite, flags: RunFlags): Array<{ label: string; scenario: Scenario }> {
  if (flags.provider) throw new UsageError('--provider applies to a single scenario, not a suite');
  const cluster = { ...suite.cluster, name: flags.clusterName ?? suite.cluster.name ?? `shakedown-${suite.name}` };
  return suite.scenarios.flatMap((scenario) =>
    Array.from({ length: suite.repeat }, (_, i) => ({ label: suite.repeat > 1 ? `${scenario.name} #${i + 1}` : scenario.name, scenario: { ...scenario, cluster } })),
  );
}

export async function runCommand(file: string | undefined, flags: RunFlags, io: CliIo, suite?: Array<{ label: string; scenario: Scenario }>): Promise<number> {
  if (suite) return runVariants(suite, suite[0]!.scenario.name, flags, io);
  if (!file) throw new UsageError('run needs a scenario file, e.g. shakedown run scenarios/spot-drain.yaml');
  const document = await loadFile(file, defaultRegistries, io.cwd);
  if (document.kind === 'Suite') return runCommand(undefined, flags, io, suiteVariants(document.suite, flags));
  const loaded = document.scenario;
  if (flags.cni) {
    if (!(CNIS as readonly string[]).includes(flags.cni)) throw new UsageError(`--cni must be one of ${CNIS.join(', ')} (got ${flags.cni})`);
    loaded.cluster.cni = flags.cni as (typeof CNIS)[number];
  }
  const providers = parseProviders(flags.provider);
  const variants = providers.length ? providers.map((p) => ({ label: p, scenario: withProvider(loaded, p) })) : [{ label: loaded.name, scenario: loaded }];
  return runVariants(variants, loaded.name, flags, io);
}

/** Runs each variant in turn on one cluster; several variants get one side-by-side report. */
async function runVariants(variants: Array<{ label: string; scenario: Scenario }>, name: string, flags: RunFlags, io: CliIo): Promise<number> {
  const planOptions = { keep: flags.keep, reuse: flags.reuse, ...(flags.clusterName && { clusterName: flags.clusterName }) };
  if (flags.dryRun) {
    for (const [i, { label, scenario }] of variants.entries()) {
      // Later variants reuse the cluster the first one boots.
      const lines = planLines(scenario, defaultRegistries, { ...planOptions, reuse: planOptions.reuse || i > 0, keep: planOptions.keep || i < variants.length - 1 });
      if (flags.output === 'ndjson') io.stdout.write(`${JSON.stringify({ kind: 'plan', t: Date.now(), label, lines })}\n`);
      else io.stdout.write(`${variants.length > 1 ? `--- ${label} ---\n` : ''}${lines.join('\n')}\n`);
    }
    if (flags.output !== 'ndjson') io.stdout.write('Dry run: nothing was touched.\n');
    return 0;
  }

  const bus = new EventBus();
  const detach = attachView(bus, flags.output, flags.verbosity, io.stdout);
  const controller = new AbortController();
  const release = interruptOnSignals(bus, controller);
  const ports = createPorts({ stateDir: flags.stateDir, cwd: io.cwd, env: io.env });
  const compared: Compared[] = [];
  // With several variants the first boots the cluster and keeps it for the
  // rest; the cluster goes at the end if none existed before (and no --keep).
  const first = variants[0]!.scenario;
  const clusterName = flags.clusterName ?? first.cluster.name ?? `shakedown-${first.name}`;
  const ownsCluster = variants.length > 1 && first.cluster.provider === 'kind' && !flags.keep && !(await kindClusters()).includes(clusterName);
  const shared = ownsCluster ? ledgerSharedCluster(flags.stateDir, name, clusterName) : undefined;
  try {
    for (const [i, { label, scenario }] of variants.entries()) {
      const last = i === variants.length - 1;
      bus.emit({ kind: 'plan', lines: planLines(scenario, defaultRegistries, { ...planOptions, reuse: flags.reuse || i > 0, keep: flags.keep || !last }) });
      const result = await runScenario(scenario, {
        bus,
        registries: defaultRegistries,
        ports,
        signal: controller.signal,
        stateDir: flags.stateDir,
        runId: newRunId(variants.length > 1 ? `${scenario.name}-${label}` : scenario.name),
        // One cluster for every variant: keep it between them, reuse it after the first.
        keep: flags.keep || !last,
        // The scenario file's cluster.reuse counts too: a plain false here would override it.
        reuse: flags.reuse || i > 0 || scenario.cluster.reuse,
        ...(flags.clusterName && { clusterName: flags.clusterName }),
      });
      compared.push({ label, result, reportDir: join(flags.stateDir, 'runs', result.runId) });
      if (controller.signal.aborted) break;
    }
    if (shared) {
      await ports.cluster
        .attach(shared.ref)
        .then((handle) => handle.delete())
        .then(() => shared.settle())
        .catch((error: Error) => bus.log('error', `deleting cluster ${clusterName} failed: ${error.message}; run shakedown cleanup, or shakedown cluster down --name ${clusterName}`));
    }
    detach();
    if (compared.length > 1) {
      const paths = writeComparison(compared, join(flags.stateDir, 'runs', newRunId(`${name}-compare`)));
      if (flags.output !== 'ndjson') io.stdout.write(`comparison: ${paths.html}\n`);
    } else if (flags.output !== 'ndjson' && compared[0]) {
      io.stdout.write(`report: ${join(compared[0].reportDir, 'report.html')}\n`);
    }
    // The worst outcome decides: interrupted, then infrastructure, then failed.
    const codes = compared.map((c) => c.result.exitCode);
    return [130, 3, 1].find((code) => codes.includes(code)) ?? 0;
  } finally {
    detach();
    release();
  }
}

// `shakedown run <scenario>`: plan, or run and report. With
// `--provider aws,gcp` the scenario runs once per spot preset on the same
// cluster and one comparison report puts the verdicts side by side. A Suite
// runs each scenario `repeat` times on one cluster, proving the cluster is
// back to a known state between scenarios, and judges each scenario against
// the history every run appends to.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.ts';
import { defaultRegistries } from '../../registries.ts';
import type { Registries } from '../../runner/registries.ts';
import { writeComparison, type Compared } from '../../report/compare.ts';
import { EventBus } from '../../core/events.ts';
import { planLines } from '../../runner/plan.ts';
import { createPorts } from '../../runner/real-ports.ts';
import { newRunId, runScenario } from '../../runner/run.ts';
import { newSeed } from '../../core/random.ts';
import { replayCommand } from '../../report/format.ts';
import { ledgerSharedCluster } from '../../runner/shared-cluster.ts';
import { interruptOnSignals } from '../../runner/signals.ts';
import { loadFile } from '../../scenario/loader.ts';
import type { Scenario, Suite } from '../../scenario/model.ts';
import { CNIS } from '../../scenario/schema.ts';
import { kindClusterRef, kindClusters } from '../../clusters/kind/provider.ts';
import { historyRecord, type HistoryRecord } from '../../history/record.ts';
import { describeStatus } from '../../history/status.ts';
import type { SuiteRun, ResetRecord, SuiteOutcome } from '../../report/suite/outcome.ts';
import { writeSuiteReports } from '../../report/suite/write.ts';
import { writeReports } from '../../report/write.ts';
import { declaredTwice, stackSources } from '../../stack/declared-twice.ts';
import { describeReset, type ResetReport } from '../../runner/reset.ts';
import { clusterRefFrom, resetSuiteCluster } from '../../runner/suite-reset.ts';
import { appendHistory, readHistoryFile, shakedownRevision } from '../history-file.ts';
import type { CliIo } from '../io.ts';
import { judgeScenarios, suiteExitCode, type ScenarioNight } from '../suite-outcome.ts';
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
  /** Overrides cluster.kubernetesVersion. */
  kubernetesVersion?: string;
  /** Sets params.to of every rolling-upgrade fault. */
  upgradeTo?: string;
  /** The user's manifests instead of the sample stack. */
  manifests?: string;
  /** Where the load goes: SERVICE[:PORT]. */
  target?: string;
  clusterName?: string;
  stateDir: string;
  /** Overrides the suite's `repeat`. */
  repeat?: number;
  /** The history file; default `<state dir>/history.ndjson`. */
  history?: string;
  /** A flaky scenario does not fail the suite. */
  allowFlaky?: boolean;
  /** A regression alone fails the suite. */
  failOnRegression?: boolean;
  /** Every run's choices from this seed (a fresh one per run when absent). */
  seed?: number;
}

type Variant = { label: string; scenario: Scenario };

/**
 * `--provider aws,gcp`: one variant per value, each with the value set on the
 * faults whose type says it may be varied by that param (spot-drain's preset).
 * The CLI knows the flag, not the fault.
 */
export function variantsBy(param: string, value: string | undefined, scenario: Scenario, registries: Pick<Registries, 'faults'>): Variant[] | undefined {
  if (!value) return undefined;
  const varied = scenario.faults.filter((f) => registries.faults[f.type]?.variedBy?.[param]);
  const types = [
    ...new Set(
      Object.values(registries.faults)
        .filter((t) => t.variedBy?.[param])
        .map((t) => t.type),
    ),
  ];
  if (varied.length === 0) throw new UsageError(`--${param} applies to ${types.join(', ')} faults; ${scenario.file} has none`);
  const allowed = [...new Set(varied.flatMap((f) => registries.faults[f.type]!.variedBy![param]!))];
  const values = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of values) if (!allowed.includes(v)) throw new UsageError(`--${param} must be a comma-separated list of ${allowed.join(', ')} (got ${v})`);
  return values.map((v) => ({
    label: v,
    scenario: { ...scenario, faults: scenario.faults.map((f) => (varied.includes(f) ? { ...f, params: { ...(f.params as object), [param]: v } } : f)) },
  }));
}

function checkedCni(value: string): (typeof CNIS)[number] {
  if (!(CNIS as readonly string[]).includes(value)) throw new UsageError(`--cni must be one of ${CNIS.join(', ')} (got ${value})`);
  return value as (typeof CNIS)[number];
}

function checkedVersion(flag: string, value: string): string {
  if (!/^v\d+\.\d+\.\d+$/.test(value)) throw new UsageError(`${flag} must be a Kubernetes version such as v1.35.4 (got ${value})`);
  return value;
}

/** `--upgrade-to`: the version every rolling-upgrade fault of the scenario goes to. */
function upgradeTo(scenario: Scenario, version: string): void {
  const upgrades = scenario.faults.filter((f) => f.type === 'rolling-upgrade');
  if (!upgrades.length) throw new UsageError(`--upgrade-to applies to rolling-upgrade faults; ${scenario.file} has none`);
  for (const fault of upgrades) fault.params = { ...(fault.params as object), to: version };
}

/** `--manifests DIR --target SERVICE[:PORT]`: the user's workloads under the scenario's faults, instead of the sample stack. */
function ownStack(scenario: Scenario, flags: RunFlags, cwd: string): void {
  if (flags.manifests) {
    const dir = resolve(cwd, flags.manifests);
    if (!existsSync(dir)) throw new UsageError(`--manifests: ${flags.manifests} does not exist`);
    if (!flags.target && scenario.load) throw new UsageError('--manifests needs --target SERVICE[:PORT]: the Service of your stack the load goes to');
    scenario.stack = { ...scenario.stack, sample: false, manifests: [dir], deployments: [] };
  }
  if (flags.target) {
    const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(flags.target);
    if (!match) throw new UsageError(`--target must be SERVICE or SERVICE:PORT, e.g. web:80 (got ${flags.target})`);
    if (!scenario.load) throw new UsageError(`--target: ${scenario.file} runs no load`);
    scenario.load = { ...scenario.load, target: { ...scenario.load.target, service: match[1]!, ...(match[3] && { port: Number(match[3]) }) } };
  }
}

/** A suite's scenarios, each `repeat` times, all on the suite's one cluster. */
function suiteVariants(suite: Suite, flags: RunFlags): Variant[] {
  if (flags.provider) throw new UsageError('--provider applies to a single scenario, not a suite');
  const repeat = flags.repeat ?? suite.repeat;
  const cluster = { ...suite.cluster, name: flags.clusterName ?? suite.cluster.name ?? `shakedown-${suite.name}`, ...(flags.cni && { cni: checkedCni(flags.cni) }) };
  return suite.scenarios.flatMap((scenario) => Array.from({ length: repeat }, (_, i) => ({ label: repeat > 1 ? `${scenario.name} #${i + 1}` : scenario.name, scenario: { ...scenario, cluster } })));
}

export async function runCommand(file: string | undefined, flags: RunFlags, io: CliIo): Promise<number> {
  if (!file) throw new UsageError('run needs a scenario file, e.g. shakedown run scenarios/spot-drain.yaml');
  if (flags.repeat !== undefined && (!Number.isInteger(flags.repeat) || flags.repeat < 1 || flags.repeat > 20)) throw new UsageError(`--repeat must be a whole number from 1 to 20 (got ${flags.repeat})`);
  if (flags.seed !== undefined && (!Number.isInteger(flags.seed) || flags.seed < 1 || flags.seed >= 2 ** 31)) throw new UsageError(`--seed must be a whole number from 1 to ${2 ** 31 - 1} (got ${flags.seed})`);
  const document = await loadFile(file, defaultRegistries, io.cwd);
  if (document.kind === 'Suite') return runVariants(suiteVariants(document.suite, flags), document.suite.name, flags, io, document.suite);
  if (flags.repeat !== undefined) throw new UsageError('--repeat applies to a suite; put the scenario in a Suite file to repeat it');
  const loaded = document.scenario;
  if (flags.cni) loaded.cluster.cni = checkedCni(flags.cni);
  if (flags.kubernetesVersion) loaded.cluster.kubernetesVersion = checkedVersion('--kubernetes-version', flags.kubernetesVersion);
  if (flags.upgradeTo) upgradeTo(loaded, checkedVersion('--upgrade-to', flags.upgradeTo));
  if (flags.manifests || flags.target) ownStack(loaded, flags, io.cwd);
  const variants = variantsBy('provider', flags.provider, loaded, defaultRegistries) ?? [{ label: loaded.name, scenario: loaded }];
  return runVariants(variants, loaded.name, flags, io);
}

/** A reset that could not even begin (the cluster unreachable), in the same words as one that ran. */
function resetFailed(error: Error): ResetReport {
  return { clean: false, found: [], repaired: [], waited: [], problems: [`cannot reach the cluster: ${error.message}`], tookMs: 0 };
}

/**
 * Runs each variant in turn on one cluster; several variants get one
 * side-by-side report, a suite gets its own reports. Every run appends a
 * line to the history.
 */
async function runVariants(variants: Variant[], name: string, flags: RunFlags, io: CliIo, suite?: Suite): Promise<number> {
  const planOptions = { keep: flags.keep, reuse: flags.reuse, ...(flags.clusterName && { clusterName: flags.clusterName }), ...(flags.seed !== undefined && { seed: flags.seed }) };
  if (flags.dryRun) {
    for (const [i, { label, scenario }] of variants.entries()) {
      // Later variants reuse the cluster the first one boots.
      const stackNotes = declaredTwice(await stackSources(scenario, io.cwd), scenario.stack.namespace);
      const lines = planLines(scenario, defaultRegistries, { ...planOptions, stackNotes, reuse: planOptions.reuse || i > 0, keep: planOptions.keep || i < variants.length - 1 });
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
  const startedAt = Date.now();
  const batch = newRunId(suite ? `${name}-suite` : name);
  const historyPath = resolve(io.cwd, flags.history ?? join(flags.stateDir, 'history.ndjson'));
  const history = readHistoryFile(historyPath);
  for (const warning of history.warnings) bus.log('warn', warning);
  const revision = shakedownRevision();
  const tonight: HistoryRecord[] = [];
  const resets: ResetRecord[] = [];
  const notRun = new Map<string, string>();
  let rebuilt: string | undefined;
  // With several variants the first boots the cluster and keeps it for the
  // rest; the cluster goes at the end if none existed before (and no --keep).
  const first = variants[0]!.scenario;
  const clusterName = flags.clusterName ?? first.cluster.name ?? `shakedown-${first.name}`;
  const existedBefore = (await kindClusters()).includes(clusterName);
  const ownsCluster = variants.length > 1 && first.cluster.provider === 'kind' && !flags.keep && !existedBefore;
  const shared = ownsCluster ? ledgerSharedCluster(flags.stateDir, name, kindClusterRef(clusterName)) : undefined;
  /** Set once the next run must boot a fresh cluster (after a rebuild). */
  let fresh = false;

  /**
   * Before a suite's scenario: is the cluster back to a known state? If not,
   * it is rebuilt once; after that the scenario is not run, nor any after it.
   */
  const resetBefore = async (label: string, i: number): Promise<string | undefined> => {
    const ref = clusterRefFrom(flags.stateDir, clusterName);
    // The first scenario resets only a cluster it reuses: a killed earlier run may have left it dirty.
    if (!ref || (i === 0 && !(existedBefore && (flags.reuse || first.cluster.reuse)))) return undefined;
    bus.log('info', `checking cluster ${clusterName} is back to a known state before ${label}`);
    const report = await resetSuiteCluster(ref, { ports, registries: defaultRegistries, bus, stateDir: flags.stateDir, signal: controller.signal }).catch(resetFailed);
    resets.push({ before: label, ...report });
    bus.log(report.clean ? 'info' : 'warn', `before ${label}: ${describeReset(report)}`);
    if (report.clean) return undefined;
    const why = report.problems.join('; ');
    if (rebuilt || first.cluster.provider !== 'kind') return `cluster ${clusterName} could not be brought back${rebuilt ? ' after one rebuild' : ''}: ${why}`;
    rebuilt = `before ${label}: ${why}`;
    bus.log('warn', `rebuilding cluster ${clusterName}: ${why}`);
    try {
      await (await ports.cluster.attach(ref)).delete();
    } catch (error) {
      return `cluster ${clusterName} could not be rebuilt: ${(error as Error).message}`;
    }
    fresh = true;
    return undefined;
  };

  try {
    for (const [i, { label, scenario }] of variants.entries()) {
      if (controller.signal.aborted) break;
      const last = i === variants.length - 1;
      if (suite && !notRun.has(scenario.name) && notRun.size === 0) {
        const reason = await resetBefore(label, i);
        if (reason) notRun.set(scenario.name, reason);
      }
      // Once the cluster is lost, this and every later scenario is not run, with the reason.
      if (notRun.size > 0) {
        const reason = [...notRun.values()][0]!;
        if (!notRun.has(scenario.name)) notRun.set(scenario.name, reason);
        bus.log('error', `${label} not run: ${reason}`);
        continue;
      }
      const seed = flags.seed ?? newSeed();
      // A manifest that cannot be read is the stack phase's to report, with its field.
      const stackNotes = await stackSources(scenario, io.cwd).then(
        (sources) => declaredTwice(sources, scenario.stack.namespace),
        () => [],
      );
      bus.emit({ kind: 'plan', lines: planLines(scenario, defaultRegistries, { ...planOptions, seed, stackNotes, reuse: !fresh && (flags.reuse || i > 0), keep: flags.keep || !last }) });
      const result = await runScenario(scenario, {
        seed,
        bus,
        registries: defaultRegistries,
        ports,
        signal: controller.signal,
        stateDir: flags.stateDir,
        runId: newRunId(variants.length > 1 ? `${scenario.name}-${label}` : scenario.name),
        // One cluster for every variant: keep it between them, reuse it after the first (unless just rebuilt).
        keep: flags.keep || !last,
        // The scenario file's cluster.reuse counts too: a plain false here would override it.
        reuse: !fresh && (flags.reuse || i > 0 || scenario.cluster.reuse),
        ...(flags.clusterName && { clusterName: flags.clusterName }),
        report: async (result) => Object.values(await writeReports(result, join(flags.stateDir, 'runs', result.runId), scenario.report.formats)),
      });
      fresh = false;
      compared.push({ label, result, reportDir: join(flags.stateDir, 'runs', result.runId) });
      const record = historyRecord(result, { batch, revision, ...(scenario.cluster.image && { nodeImage: scenario.cluster.image }) });
      tonight.push(record);
      appendHistory(historyPath, record);
    }
    if (shared) {
      await ports.cluster
        .attach(shared.ref)
        .then((handle) => handle.delete())
        .then(() => shared.settle())
        .catch((error: Error) => bus.log('error', `deleting cluster ${clusterName} failed: ${error.message}; run shakedown cleanup, or shakedown cluster down --name ${clusterName}`));
    }
    detach();
    if (suite) return await reportSuite();
    if (compared.length > 1) {
      const paths = writeComparison(compared, join(flags.stateDir, 'runs', newRunId(`${name}-compare`)));
      if (flags.output !== 'ndjson') io.stdout.write(`comparison: ${paths.html}\n`);
    } else if (flags.output !== 'ndjson' && compared[0]) {
      io.stdout.write(`report: ${join(compared[0].reportDir, 'report.html')}\n`);
      const replay = replayCommand(compared[0].result);
      if (replay) io.stdout.write(`replay: ${replay}\n`);
    }
    // The worst outcome decides: interrupted, then infrastructure, then failed.
    const codes = compared.map((c) => c.result.exitCode);
    return [130, 3, 1].find((code) => codes.includes(code)) ?? 0;
  } finally {
    detach();
    release();
  }

  /** Statuses against history, the exit code, and the suite's three reports. */
  async function reportSuite(): Promise<number> {
    const nights: ScenarioNight[] = suite!.scenarios.map((scenario) => {
      const runs: SuiteRun[] = compared.filter((c) => c.result.scenario === scenario.name);
      const reason = notRun.get(scenario.name) ?? (controller.signal.aborted && runs.length === 0 ? 'the suite was interrupted first' : undefined);
      return { name: scenario.name, file: scenario.file, runs, records: tonight.filter((r) => r.scenario === scenario.name), ...(reason && { notRunReason: reason }) };
    });
    const scenarios = judgeScenarios(nights, history.records, batch, suite!.regressionMargin);
    const exitCode = suiteExitCode(scenarios, { allowFlaky: flags.allowFlaky ?? false, failOnRegression: flags.failOnRegression ?? false, interrupted: controller.signal.aborted });
    const outcome: SuiteOutcome = { suite: suite!.name, file: suite!.file, batch, startedAt, finishedAt: Date.now(), exitCode, scenarios, resets, ...(rebuilt && { rebuilt }), historyWarnings: history.warnings };
    const paths = await writeSuiteReports(outcome, [...history.records, ...tonight], join(flags.stateDir, 'runs', batch));
    if (flags.output !== 'ndjson') {
      for (const s of scenarios) io.stdout.write(`${s.status.kind.padEnd(13)} ${s.name}: ${describeStatus(s.status)}\n`);
      io.stdout.write(`suite report: ${paths.html}\njunit: ${paths.junit}\nhistory: ${historyPath}\n`);
    }
    return exitCode;
  }
}

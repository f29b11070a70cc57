// Runs one scenario through its phases:
// preflight -> cluster -> stack -> steady-state -> load -> faults (observed
// continuously) -> recovery -> verdict -> report -> teardown.
// Whatever happens, the cleanup stack is unwound before the run returns.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AssertionContext, AssertionMonitor, Outcome } from '../assertions/types.ts';
import { ExitCode, InfraError, InterruptedError, ShakedownError } from '../errors.ts';
import type { FaultContext } from '../faults/types.ts';
import type { PlannedAssertion, PlannedFault } from '../scenario/model.ts';
import type { KubeApi } from '../core/kube-api.ts';
import type { ClusterHandle } from '../core/cluster.ts';
import type { AssertionRecord, FaultRecord, RunResult } from '../core/result.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Registries } from './registries.ts';
import { CleanupStack } from './cleanup.ts';
import type { RevertContext } from '../core/reverts.ts';
import type { EventBus, Phase, Verdict } from '../core/events.ts';
import { revertHandlers } from './handlers.ts';
import { Ledger } from './ledger.ts';
import type { RunnerPorts } from './ports.ts';
import type { LoadOutcome, LoadRun } from '../load/types.ts';
import { buildResult, describeCluster, settleAtTeardown } from './result-builder.ts';
import { sleep } from '../core/abort.ts';
import { DisruptionTracker } from '../core/disruptions.ts';
import { newSeed } from '../core/random.ts';
import { abortPromise, runFault, type FaultRunContext } from './fault-run.ts';
import { aimProblems } from './aim-check.ts';

export interface RunOptions {
  bus: EventBus;
  registries: Registries;
  ports: RunnerPorts;
  signal: AbortSignal;
  stateDir: string;
  runId?: string;
  /** Keep the cluster after the run. */
  keep?: boolean;
  /** Reuse a matching running cluster. */
  reuse?: boolean;
  clusterName?: string;
  revertTimeoutMs?: number;
  /** The seed of every choice made by chance; a fresh one when absent. */
  seed?: number;
  /** Where the result goes once judged (report files, say); returns what it wrote. The runner writes nothing itself. */
  report?: (result: RunResult) => Promise<string[]>;
}

export function newRunId(scenario: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${scenario}-${randomBytes(2).toString('hex')}`;
}

class PhaseFailure extends ShakedownError {}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  const { bus, registries, ports, signal } = options;
  const runId = options.runId ?? newRunId(scenario.name);
  const seed = options.seed ?? newSeed();
  const startedAt = Date.now();
  const ledger = new Ledger(options.stateDir, runId);
  ledger.append({ op: 'run', runId, pid: process.pid, scenario: scenario.name, startedAt });

  let handle: ClusterHandle | undefined;
  let kube: KubeApi | undefined;
  const revertContext = (s: AbortSignal): RevertContext => ({ signal: s, bus, ...(kube && { kube }), ...(handle && { nodes: handle.nodes }) });
  const cleanup = new CleanupStack({
    ledger,
    handlers: revertHandlers(registries, () => ports),
    bus,
    context: revertContext,
    ...(options.revertTimeoutMs !== undefined && { timeoutMs: options.revertTimeoutMs }),
  });

  const faults = new Map<string, FaultRecord>(scenario.faults.map((f) => [f.id, { id: f.id, type: f.type, at: f.at, ...(f.duration !== undefined && { duration: f.duration }), state: 'scheduled' as const }]));
  const assertions: AssertionRecord[] = [];
  const monitors = new Map<string, AssertionMonitor>();
  let loadRun: LoadRun | undefined;
  const disruptions = new DisruptionTracker({ bus });
  let nodeWatch: { stop(): Promise<void> } | undefined;
  let loadStartedAt: number | undefined;
  let stackNamespace = scenario.stack.namespace;
  let verdict: Verdict = 'passed';
  let error: Error | undefined;
  let clusterFacts: RunResult['cluster'];

  bus.emit({ kind: 'run-started', runId, scenario: scenario.name, file: scenario.file, dryRun: false });

  const phase = async <T>(name: Phase, body: () => Promise<T>): Promise<T> => {
    if (signal.aborted) throw new InterruptedError();
    bus.emit({ kind: 'phase', phase: name, status: 'started' });
    try {
      const value = await body();
      bus.emit({ kind: 'phase', phase: name, status: 'finished' });
      return value;
    } catch (cause) {
      const failure = signal.aborted ? new InterruptedError() : cause;
      bus.emit({ kind: 'phase', phase: name, status: 'failed', message: (failure as Error).message });
      throw failure;
    }
  };

  /** `since`: when the verdict began to be awaited (check start, or the window's end), for how long it took to settle. */
  const record = (assertion: PlannedAssertion, window: string, outcome: Outcome, since?: number) => {
    const settled = since === undefined ? undefined : Math.max(0, Date.now() - since) / 1000;
    assertions.push({
      name: assertion.name,
      type: assertion.type,
      window,
      status: outcome.status,
      message: outcome.message,
      ...(settled !== undefined && { durationSeconds: settled }),
      ...(outcome.details && { details: outcome.details }),
      ...(outcome.status === 'failed' && outcome.explanation && { explanation: outcome.explanation }),
    });
    bus.emit({ kind: 'assertion', assertion: assertion.name, type: assertion.type, status: outcome.status, message: outcome.message, window, ...(outcome.status === 'failed' && outcome.explanation && { explanation: outcome.explanation }) });
  };

  /** load.thresholds, as k6 judged them over the whole load. */
  const recordThresholds = (results: NonNullable<LoadOutcome['thresholds']>) => {
    const crossed = results.filter((r) => !r.ok);
    const told = results.map((r) => `${r.metric} ${r.expression}: ${r.observed}${r.ok ? '' : ' (crossed)'}`).join('; ');
    const outcome: Outcome = { status: crossed.length ? 'failed' : 'passed', message: `k6 thresholds over the whole load: ${told}`, details: { thresholds: results } };
    record({ name: 'load.thresholds', type: 'k6-thresholds', params: {} }, 'load', outcome);
  };

  try {
    await phase('preflight', async () => {
      for (const fault of scenario.faults) if (!registries.faults[fault.type]) throw new InfraError(`no fault type ${fault.type}`);
    });

    handle = await phase('cluster', async () => {
      const name = options.clusterName ?? scenario.cluster.name ?? `shakedown-${scenario.name}`;
      const { handle: h, created } = await ports.cluster.ensure(scenario.cluster, { name, runId, reuse: options.reuse ?? scenario.cluster.reuse, signal, bus });
      ledger.append({ op: 'cluster', cluster: h.ref });
      if (created && h.ref.owned && !options.keep) {
        cleanup.register('run', 'cluster/delete', { ref: h.ref }, `delete cluster ${h.ref.name}`);
      }
      clusterFacts = await describeCluster(h);
      return h;
    });
    kube = ports.kube(handle);
    const cluster = handle;

    const stack = await phase('stack', () => ports.stack.deploy(scenario, cluster, { signal, bus, cleanup }));
    stackNamespace = stack.namespace;

    await phase('steady-state', async () => {
      nodeWatch = await ports.watchNodes?.(cluster, (node) => disruptions.observeNode(node));
      const contextFor = (assertion: PlannedAssertion): AssertionContext => ({
        assertion,
        runId,
        namespace: stack.namespace,
        signal,
        bus,
        kube: kube!,
        kubeConfig: ports.kubeConfig(cluster),
        cleanup,
        disruptions,
        ...(stack.declaredPolicies && { declaredPolicies: stack.declaredPolicies }),
        ...(stack.pathCuts && { pathCuts: stack.pathCuts }),
        sample: (series, value) => bus.emit({ kind: 'sample', series, value }),
        loadImages: (images) => cluster.loadImages(images, bus),
        // Read when asked: the load starts after the monitors.
        get load() {
          return loadRun?.metrics;
        },
      });
      for (const assertion of scenario.assertions) monitors.set(assertion.name, await registries.assertions[assertion.type]!.start(contextFor(assertion), assertion.params));
      // A fault aimed at nothing proves nothing: said before any assertion waits.
      // The load cannot reach the target's pods at all: nothing measured under it could pass.
      const entryCuts = (stack.pathCuts ?? []).filter((cut) => cut.entry).map((cut) => `${cut.cause}\n  fix: ${cut.fix}`);
      const failed = [...(stack.targetProblem ? [stack.targetProblem] : []), ...entryCuts, ...(await aimProblems(scenario.faults, registries, kube!, stack.namespace))];
      for (const assertion of scenario.assertions) {
        const monitor = monitors.get(assertion.name)!;
        if (!monitor.steadyState) continue;
        const checkStarted = Date.now();
        const outcome = await monitor.steadyState(signal);
        record(assertion, 'steady-state', outcome, checkStarted);
        if (outcome.status === 'failed') failed.push(`${assertion.name}: ${outcome.message}`);
      }
      // One reason per line, a fix under the reason it mends.
      if (failed.length) throw new PhaseFailure(`steady state did not hold, so no fault was injected:\n${failed.map((f) => `- ${f}`).join('\n')}`, ExitCode.assertionFailed);
    });

    if (scenario.load) {
      loadRun = await phase('load', () => ports.load.start(scenario, stack, { signal, bus, outDir: join(options.stateDir, 'runs', runId) }));
    }
    loadStartedAt = Date.now();
    const origin = loadStartedAt;

    await phase('faults', async () => {
      const run: FaultRunContext = {
        runId,
        seed,
        signal,
        bus,
        registries,
        assertions: scenario.assertions,
        monitors,
        cleanup,
        disruptions,
        kube: kube!,
        nodes: cluster.nodes,
        loadImages: (images) => cluster.loadImages(images, bus),
        namespace: stack.namespace,
        ...(loadRun && { loadDone: loadRun.done }),
        record,
      };
      const tasks = scenario.faults.map((fault) => runFault(fault, faults.get(fault.id)!, origin, run));
      const results = await Promise.allSettled(tasks);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (loadRun) {
        const load = await Promise.race([loadRun.done, abortPromise(signal)]);
        if (load?.thresholds) recordThresholds(load.thresholds);
      }
      if (failure) throw failure.reason;
    });

    await phase('recovery', async () => {
      const faultsEndedAt = Date.now();
      // recovery.timeout bounds the whole phase: a check still waiting then is judged on what it saw.
      const window = AbortSignal.any([signal, AbortSignal.timeout(scenario.recoveryTimeout)]);
      await Promise.all(
        scenario.assertions.map(async (assertion) => {
          const monitor = monitors.get(assertion.name)!;
          if (monitor.recovery) record(assertion, 'recovery', await monitor.recovery(window, faultsEndedAt), faultsEndedAt);
        }),
      );
    });

    verdict = assertions.some((a) => a.status === 'failed') ? 'failed' : 'passed';
  } catch (cause) {
    error = cause instanceof Error ? cause : new Error(String(cause));
    verdict = error instanceof InterruptedError || signal.aborted ? 'interrupted' : error instanceof PhaseFailure ? 'failed' : 'error';
  } finally {
    // Read again before any teardown: a fault may have moved the cluster's versions (an upgrade).
    if (handle && loadStartedAt !== undefined) clusterFacts = { ...clusterFacts, ...(await describeCluster(handle)) };
    for (const monitor of monitors.values()) await monitor.stop().catch(() => {});
    await nodeWatch?.stop().catch(() => {});
    if (loadRun) await loadRun.stop().catch(() => {});
  }

  // Teardown: always, with fresh timeouts, never hiding the original error.
  bus.emit({ kind: 'phase', phase: 'teardown', status: 'started' });
  // Faults still applied (no set duration, or cut short) are reverted here; their records end with it.
  const unwinding = [...cleanup.pending];
  const teardownFrom = bus.history.length;
  const cleanupErrors = await cleanup.unwind();
  for (const f of settleAtTeardown(faults.values(), unwinding, bus.history.slice(teardownFrom))) {
    bus.emit({ kind: 'fault', faultId: f.id, type: f.type, state: f.state, ...(f.message && { message: f.message }) });
  }
  bus.emit({ kind: 'phase', phase: 'teardown', status: cleanupErrors.length ? 'failed' : 'finished', ...(cleanupErrors.length && { message: cleanupErrors.map((e) => e.message).join('; ') }) });
  if (cleanupErrors.length && verdict === 'passed') verdict = 'error';

  const exitCode = exitCodeFor(verdict, error);
  const message = [error?.message, ...cleanupErrors.map((e) => e.message)].filter(Boolean).join('\n') || undefined;
  ledger.append({ op: 'finished', t: Date.now(), verdict });
  bus.emit({ kind: 'run-finished', verdict, exitCode, ...(message && { message }) });

  const result = buildResult({
    runId,
    scenario,
    startedAt,
    ...(loadStartedAt !== undefined && { loadStartedAt }),
    verdict,
    exitCode,
    ...(message && { error: message }),
    faults: [...faults.values()],
    assertions,
    events: bus.history,
    ...(clusterFacts && { cluster: clusterFacts }),
    seed,
  });
  if (options.report) {
    bus.emit({ kind: 'phase', phase: 'report', status: 'started' });
    const written = await options.report(result);
    bus.emit({ kind: 'phase', phase: 'report', status: 'finished', message: written.join(' ') });
  }
  return result;
}

export function exitCodeFor(verdict: Verdict, error?: Error): number {
  switch (verdict) {
    case 'passed':
    case 'planned':
      return ExitCode.passed;
    case 'failed':
      return ExitCode.assertionFailed;
    case 'interrupted':
      return ExitCode.interrupted;
    case 'error':
      return error instanceof ShakedownError ? error.exitCode : ExitCode.infrastructure;
  }
}

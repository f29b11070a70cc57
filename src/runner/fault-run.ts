// One fault's life inside a run: wait for its time, inject, hold its window,
// revert, then have the assertions judge that window. The runner starts one
// of these per fault, all at once, against the same load.
import type { AssertionMonitor, Outcome, Window } from '../assertions/types.ts';
import { sleep } from '../core/abort.ts';
import type { NodeRuntime } from '../core/cluster.ts';
import type { DisruptionTracker } from '../core/disruptions.ts';
import type { EventBus } from '../core/events.ts';
import type { KubeApi } from '../core/kube-api.ts';
import { seededRandom } from '../core/random.ts';
import type { FaultRecord } from '../core/result.ts';
import { InfraError } from '../errors.ts';
import type { FaultContext } from '../faults/types.ts';
import type { PlannedAssertion, PlannedFault } from '../scenario/model.ts';
import type { CleanupStack } from './cleanup.ts';
import type { Registries } from './registries.ts';

export interface FaultRunContext {
  runId: string;
  seed: number;
  signal: AbortSignal;
  bus: EventBus;
  registries: Registries;
  assertions: PlannedAssertion[];
  monitors: Map<string, AssertionMonitor>;
  cleanup: CleanupStack;
  disruptions: DisruptionTracker;
  kube: KubeApi;
  nodes: NodeRuntime;
  loadImages(images: string[]): Promise<string[]>;
  namespace: string;
  /** Settles when the load ends: a fault with no duration holds until then. */
  loadDone?: Promise<unknown>;
  /** Keeps a verdict; `since` is when it began to be awaited. */
  record: (assertion: PlannedAssertion, window: string, outcome: Outcome, since?: number) => void;
}

/** `entry` is the fault's record in the result; it is updated as the fault goes. */
export async function runFault(fault: PlannedFault, entry: FaultRecord, origin: number, run: FaultRunContext): Promise<void> {
  const { signal, bus, cleanup, disruptions } = run;
  const type = run.registries.faults[fault.type]!;
  bus.emit({ kind: 'countdown', faultId: fault.id, type: fault.type, startsAt: origin + fault.at });
  await sleep(origin + fault.at - Date.now(), signal);
  if (signal.aborted) return;
  entry.startedAt = Date.now();
  const setState = (state: FaultRecord['state'], message?: string) => {
    entry.state = state;
    if (message) entry.message = message;
    bus.emit({ kind: 'fault', faultId: fault.id, type: fault.type, state, ...(message && { message }) });
  };
  setState('injecting');
  disruptions.faultStarted(fault.id, fault.type);
  const ctx: FaultContext = {
    runId: run.runId,
    fault,
    signal,
    bus,
    namespace: run.namespace,
    kube: run.kube,
    nodes: run.nodes,
    cleanup,
    disrupt: disruptions.reporterFor(fault.id, fault.type),
    random: seededRandom(run.seed, fault.id),
    loadImages: run.loadImages,
    detail: (key, value) => {
      entry.details = { ...entry.details, [key]: value };
    },
  };
  try {
    await type.inject(ctx, fault.params);
    if (!signal.aborted) setState('active');
    // A fault without a duration stays applied: its window runs to the end of the load.
    if (fault.duration !== undefined) await sleep(origin + fault.at + fault.duration - Date.now(), signal);
    else if (run.loadDone) await Promise.race([run.loadDone.catch(() => {}), abortPromise(signal)]);
  } catch (cause) {
    setState('failed', (cause as Error).message);
    // A fault that fails halfway leaves nothing applied.
    await cleanup.unwind(fault.id);
    disruptions.faultEnded(fault.id);
    entry.endedAt = Date.now();
    throw new InfraError(`fault ${fault.id} (${fault.type}) failed: ${(cause as Error).message}`, { cause });
  }
  if (fault.duration !== undefined && !signal.aborted) {
    setState('reverting');
    const errors = await cleanup.unwind(fault.id);
    setState(errors.length ? 'failed' : 'reverted', errors.map((e) => e.message).join('; ') || undefined);
    disruptions.faultEnded(fault.id);
  }
  entry.endedAt = Date.now();
  const window: Window = { id: fault.id, start: entry.startedAt, end: entry.endedAt, faultType: fault.type };
  const judged = fault.assert.length ? run.assertions.filter((a) => fault.assert.includes(a.name)) : run.assertions;
  for (const assertion of judged) {
    const monitor = run.monitors.get(assertion.name);
    if (monitor?.judgeWindow) run.record(assertion, fault.id, await monitor.judgeWindow(window), window.end);
  }
}

/** Resolves when the signal aborts: a race partner that never rejects. */
export function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

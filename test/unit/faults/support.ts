import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultContext, FaultType } from '../../../src/faults/types.ts';
import { CleanupStack } from '../../../src/runner/cleanup.ts';
import { EventBus } from '../../../src/core/events.ts';
import { revertHandlers } from '../../../src/runner/handlers.ts';
import { Ledger } from '../../../src/runner/ledger.ts';
import { defaultRegistries } from '../../../src/registries.ts';
import { FakeKube, FakeNodes, fakePorts } from '../../support/fakes.ts';
import { DisruptionTracker } from '../../../src/core/disruptions.ts';
import { seededRandom } from '../../../src/core/random.ts';

/** A fault context over fakes, with a real cleanup stack and ledger. */
export function faultContext<P>(type: FaultType<P>, params: unknown, options: { kube?: FakeKube; nodes?: FakeNodes; duration?: number; seed?: number; missingImages?: string[] } = {}) {
  const kube = options.kube ?? new FakeKube();
  const nodes = options.nodes ?? new FakeNodes();
  const bus = new EventBus();
  const details: Record<string, unknown> = {};
  const loaded: string[] = [];
  const ledger = new Ledger(mkdtempSync(join(tmpdir(), 'shakedown-fault-')), 'unit');
  const cleanup = new CleanupStack({ ledger, bus, handlers: revertHandlers(defaultRegistries, () => fakePorts()), context: (signal) => ({ signal, bus, kube, nodes }) });
  const parsed = type.params.parse(params) as P;
  const disruptions = new DisruptionTracker({ bus });
  const ctx: FaultContext = {
    runId: 'unit',
    fault: { id: 'f1', type: type.type, at: 0, ...(options.duration !== undefined && { duration: options.duration }), params: parsed, assert: [] },
    signal: new AbortController().signal,
    bus,
    namespace: 'stack',
    kube,
    nodes,
    cleanup,
    disrupt: disruptions.reporterFor('f1', type.type),
    detail: (key, value) => {
      details[key] = value;
    },
    random: seededRandom(options.seed ?? 1, 'f1'),
    loadImages: async (images) => {
      loaded.push(...images);
      return images.filter((i) => options.missingImages?.includes(i));
    },
  };
  return { ctx, kube, nodes, bus, details, cleanup, disruptions, params: parsed, loaded };
}

export function pod(name: string, nodeName: string, labels: Record<string, string> = {}) {
  return { namespace: 'stack', name, nodeName, ip: `10.244.${name.length}.${name.charCodeAt(name.length - 1) % 250}`, labels, phase: 'Running', ready: true, ownerKind: 'ReplicaSet', deleting: false, mirror: false };
}

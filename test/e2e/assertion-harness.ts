// What an assertion gets from a run, built for e2e tests that drive one
// assertion directly against the real cluster: a bus, the API, a cleanup
// stack with a real ledger, and a disruption tracker no fault feeds.
import type { AssertionContext } from '../../src/assertions/types.ts';
import type { PlannedAssertion } from '../../src/scenario/model.ts';
import { DisruptionTracker } from '../../src/core/disruptions.ts';
import { ClientKubeApi, loadKubeConfig } from '../../src/kube/client.ts';
import { CleanupStack } from '../../src/runner/cleanup.ts';
import { EventBus } from '../../src/core/events.ts';
import { revertHandlers } from '../../src/runner/handlers.ts';
import { Ledger } from '../../src/runner/ledger.ts';
import { createPorts } from '../../src/runner/real-ports.ts';
import { defaultRegistries } from '../../src/registries.ts';
import { KindCluster } from '../../src/clusters/kind/cluster.ts';
import { E2E_CLUSTER, STATE_DIR } from './cluster-name.ts';

export function assertionHarness(kubeconfig: string, runId: string) {
  const bus = new EventBus();
  const config = loadKubeConfig(kubeconfig);
  const controller = new AbortController();
  const kube = new ClientKubeApi(config);
  const cleanup = new CleanupStack({
    ledger: new Ledger(STATE_DIR, `${runId}-${Date.now()}`),
    handlers: revertHandlers(defaultRegistries, () => createPorts({ stateDir: STATE_DIR, cwd: process.cwd(), env: process.env })),
    bus,
    context: (signal) => ({ signal, bus, kube }),
  });
  const context = (assertion: PlannedAssertion, namespace: string): AssertionContext => ({
    runId,
    assertion,
    namespace,
    signal: controller.signal,
    bus,
    kube,
    kubeConfig: config,
    cleanup,
    disruptions: new DisruptionTracker({ bus }),
    sample: () => {},
    loadImages: (images) => new KindCluster({ provider: 'kind', name: E2E_CLUSTER, kubeconfig, owned: false }).loadImages(images, bus),
  });
  return { bus, kube, controller, cleanup, context };
}

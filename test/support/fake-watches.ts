// A stand-in for src/kube/watch.ts: informers over lists a test owns. Tests
// set the objects, then call `podsChanged` to fire the pod watch's handler.
type OnChange = (o: unknown, verb: 'update') => void;

export interface FakeCluster {
  deployments: unknown[];
  pdbs: unknown[];
  pods: unknown[];
  onPod?: OnChange;
  podsChanged(): void;
}

export function fakeCluster(): FakeCluster {
  return {
    deployments: [],
    pdbs: [],
    pods: [],
    podsChanged() {
      for (const pod of this.pods) this.onPod?.(pod, 'update');
    },
  };
}

/** The module `vi.mock('…/src/kube/watch.ts', …)` returns. */
export function fakeWatchModule(cluster: FakeCluster) {
  const watched = (items: () => unknown[], remember?: (onChange: OnChange) => void) => async (_config: unknown, _namespace: unknown, onChange: OnChange) => {
    remember?.(onChange);
    return { list: () => [...items()], stop: async () => {} };
  };
  return {
    watchDeployments: watched(() => cluster.deployments),
    watchPdbs: watched(() => cluster.pdbs),
    watchPods: watched(
      () => cluster.pods,
      (onChange) => {
        cluster.onPod = onChange;
      },
    ),
  };
}

// What the runner needs from the outside world, as narrow interfaces: the
// real ones boot kind, apply manifests and run k6; unit tests pass fakes.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterProvider } from '../clusters/types.ts';
import type { ClusterHandle } from '../core/cluster.ts';
import type { NodeObservation } from '../core/disruptions.ts';
import type { KubeApi } from '../core/kube-api.ts';
import type { LoadRunner } from '../load/types.ts';
import type { StackDeployer } from '../stack/types.ts';

export interface RunnerPorts {
  cluster: ClusterProvider;
  kube(handle: ClusterHandle): KubeApi;
  kubeConfig(handle: ClusterHandle): KubeConfig;
  stack: StackDeployer;
  load: LoadRunner;
  /** Streams what the API says of each node (Ready, last heartbeat), so the run knows when a node is back. */
  watchNodes?(handle: ClusterHandle, onNode: (node: NodeObservation) => void): Promise<{ stop(): Promise<void> }>;
}

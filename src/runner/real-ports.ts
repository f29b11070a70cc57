// The real outside world: kind clusters, the Kubernetes API, manifests
// applied with kubectl, k6 load.
import { clusterProvider } from '../clusters/providers.ts';
import { ClientKubeApi, loadKubeConfig } from '../kube/client.ts';
import { K6LoadRunner } from '../load/k6.ts';
import { ManifestStackDeployer } from '../stack/deploy.ts';
import type { RunnerPorts } from './ports.ts';
import { observeNode } from '../kube/nodes.ts';

export function createPorts(options: { stateDir: string; cwd: string; env: NodeJS.ProcessEnv }): RunnerPorts {
  return {
    cluster: clusterProvider({ stateDir: options.stateDir, env: options.env }),
    kube: (handle) => new ClientKubeApi(loadKubeConfig(handle.ref.kubeconfig, handle.ref.context)),
    kubeConfig: (handle) => loadKubeConfig(handle.ref.kubeconfig, handle.ref.context),
    stack: new ManifestStackDeployer({ cwd: options.cwd }),
    load: new K6LoadRunner({ env: options.env }),
    async watchNodes(handle, onNode) {
      const { watchNodes } = await import('../kube/watch.ts');
      return watchNodes(loadKubeConfig(handle.ref.kubeconfig, handle.ref.context), (node, verb) => onNode(observeNode(node, verb === 'delete')));
    },
  };
}

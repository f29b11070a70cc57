// The `existing` provider: a cluster shakedown did not create, named
// explicitly by its kubeconfig context (never the current context by
// default). shakedown never deletes it, and its nodes' machines are out of
// reach: faults that need them (spot-drain's termination, node-stop,
// partition) fail with a clear message; API-level faults and every
// assertion work.
import { existsSync } from 'node:fs';
import { Health } from '@kubernetes/client-node';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InfraError, InputError, withCauses } from '../../errors.ts';
import type { ClusterProvider } from '../types.ts';
import type { ClusterSpecT } from '../../scenario/schema.ts';
import { serverVersion } from '../server-version.ts';
import { apiMessage, ClientKubeApi, loadKubeConfig } from '../../kube/client.ts';
import { nodeRole } from '../../kube/nodes.ts';
import type { EventBus } from '../../core/events.ts';
import { abortable } from '../../core/abort.ts';
import { loadLocalImages } from '../kind/load-images.ts';
import type { ClusterHandle, ClusterInfo, ClusterRef, NodeContainer, NodeRuntime } from '../../core/cluster.ts';

class UnreachableMachines implements NodeRuntime {
  readonly ref: ClusterRef;
  constructor(ref: ClusterRef) {
    this.ref = ref;
  }
  async list(): Promise<NodeContainer[]> {
    let nodes;
    try {
      nodes = await new ClientKubeApi(loadKubeConfig(this.ref.kubeconfig, this.ref.context)).listNodes();
    } catch (error) {
      throw new InfraError(`cannot list the nodes of context ${this.ref.context}: ${apiMessage(error)}`);
    }
    // A spare is a worker to the machines' eyes; the API's labels say which.
    return nodes.map((n) => ({ name: n.name, role: nodeRole(n.labels) === 'control-plane' ? 'control-plane' : 'worker', running: n.ready, labels: n.labels }));
  }
  #refuse(what: string): never {
    throw new InfraError(`${what} needs the node's machine, which shakedown cannot reach on an existing cluster (${this.ref.context}); use a kind cluster for node-level faults`);
  }
  async stop(node: string): Promise<void> {
    this.#refuse(`stopping ${node}`);
  }
  async start(node: string): Promise<void> {
    this.#refuse(`starting ${node}`);
  }
  async exec(node: string): Promise<never> {
    this.#refuse(`running commands on ${node}`);
  }
  async copyIn(node: string): Promise<never> {
    this.#refuse(`copying files to ${node}`);
  }
}

export class ExistingCluster implements ClusterHandle {
  readonly ref: ClusterRef;
  readonly nodes: NodeRuntime;
  constructor(ref: ClusterRef) {
    this.ref = ref;
    this.nodes = new UnreachableMachines(ref);
  }
  async info(): Promise<ClusterInfo> {
    const [nodes, version] = await Promise.all([this.nodes.list(), serverVersion(this.ref)]);
    return { name: this.ref.name, provider: 'existing', ...(version && { kubernetesVersion: version }), nodes: nodes.map((n) => ({ name: n.name, role: n.role, ready: n.running })) };
  }
  /** Nodes that are containers of this machine's Docker engine (a kind cluster the user made) are loaded; others pull for themselves. */
  async loadImages(images: string[], bus: EventBus): Promise<string[]> {
    const nodes = (await this.nodes.list()).map((n) => n.name);
    return loadLocalImages(images, nodes, bus);
  }

  /** A Ready node's InternalIP: where its NodePorts answer, if this machine can reach it. */
  async nodePortHost(): Promise<string | undefined> {
    const nodes = await new ClientKubeApi(loadKubeConfig(this.ref.kubeconfig, this.ref.context)).listNodes();
    return nodes.find((n) => n.ready && n.address)?.address;
  }

  async collectLogs(): Promise<void> {}
  /** Never: shakedown did not create it. */
  async delete(): Promise<void> {}
}

export class ExistingProvider implements ClusterProvider {
  async ensure(spec: ClusterSpecT): Promise<{ handle: ClusterHandle; created: boolean }> {
    if (!spec.context) throw new InputError([{ file: 'scenario', path: 'cluster.context', message: 'an existing cluster must be named by its kubeconfig context' }]);
    const kubeconfig = spec.kubeconfig ?? process.env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config');
    if (!existsSync(kubeconfig)) throw new InfraError(`cluster.kubeconfig ${kubeconfig} does not exist`);
    const ref: ClusterRef = { provider: 'existing', name: spec.context, kubeconfig, context: spec.context, owned: false };
    const notReady = await whyNotReady(kubeconfig, spec.context);
    if (notReady) throw new InfraError(`the API server of context ${spec.context} does not answer: ${notReady}`);
    return { handle: new ExistingCluster(ref), created: false };
  }
  async attach(ref: ClusterRef): Promise<ClusterHandle> {
    return new ExistingCluster(ref);
  }
}

/** How long the API server has to answer /readyz before the cluster counts as unreachable. */
const READYZ_TIMEOUT_MS = 15_000;

/** Why the context's API server is not ready (/readyz), or undefined when it is. */
export async function whyNotReady(kubeconfig: string, context: string, timeoutMs = READYZ_TIMEOUT_MS): Promise<string | undefined> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const config = loadKubeConfig(kubeconfig, context);
    if (!config.getContextObject(context)) return `there is no context ${context} in ${kubeconfig}`;
    // abortable as well: the fetch honours the deadline, an exec credential plugin before it need not.
    const ready = await abortable(new Health(config).readyz({ signal: deadline }), deadline);
    return ready ? undefined : '/readyz did not answer 200 OK';
  } catch (error) {
    if (deadline.aborted) return `no answer to /readyz within ${timeoutMs / 1000}s`;
    return withCauses(error);
  }
}

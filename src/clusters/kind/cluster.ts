// A kind cluster shakedown booted: its nodes, info, logs and deletion.
import { existsSync } from 'node:fs';
import type { ClusterHandle, ClusterInfo, ClusterRef } from '../../core/cluster.ts';
import { must } from '../../tools/exec.ts';
import { containerAddress } from './engine.ts';
import { removeFence, removeNetwork } from './fence.ts';
import { KindNodeRuntime } from './nodes.ts';
import { loadLocalImages } from './load-images.ts';
import type { EventBus } from '../../core/events.ts';
import { ClientKubeApi, loadKubeConfig } from '../../kube/client.ts';
import { nodeRole } from '../../kube/nodes.ts';
import { serverVersion } from '../server-version.ts';

export class KindCluster implements ClusterHandle {
  readonly ref: ClusterRef;
  readonly nodes: KindNodeRuntime;
  /** The CNI it was booted with, when this handle came from creating or reusing it. */
  readonly cni: string | undefined;

  constructor(ref: ClusterRef, options: { cni?: string } = {}) {
    this.ref = ref;
    this.nodes = new KindNodeRuntime(ref.name);
    this.cni = options.cni;
  }

  async ensureRunning(): Promise<void> {
    for (const node of await this.nodes.list()) if (!node.running) await this.nodes.start(node.name);
  }

  async info(): Promise<ClusterInfo> {
    const nodes: ClusterInfo['nodes'] = [];
    let version: string | undefined;
    if (existsSync(this.ref.kubeconfig)) {
      try {
        for (const node of await new ClientKubeApi(loadKubeConfig(this.ref.kubeconfig, this.ref.context)).listNodes())
          nodes.push({ name: node.name, role: nodeRole(node.labels), ready: node.ready, ...(node.kubeletVersion && { kubeletVersion: node.kubeletVersion }) });
      } catch {
        // A cluster whose API is down still has a name, a provider and a network to report.
      }
      version = await serverVersion(this.ref);
    }
    return {
      name: this.ref.name,
      provider: 'kind',
      ...(version && { kubernetesVersion: version }),
      ...(this.cni && { cni: this.cni }),
      nodes,
      ...(this.ref.network && { network: this.ref.network }),
      fenced: this.ref.network !== undefined && this.ref.network !== 'kind',
    };
  }

  async loadImages(images: string[], bus: EventBus): Promise<string[]> {
    const running = (await this.nodes.list()).filter((n) => n.running).map((n) => n.name);
    return loadLocalImages(images, running, bus);
  }

  /** The control plane's address on the cluster's Docker network: NodePorts answer there, from this machine. */
  async nodePortHost(): Promise<string | undefined> {
    const controlPlane = (await this.nodes.list()).find((m) => m.role === 'control-plane');
    if (!controlPlane) return undefined;
    return containerAddress(controlPlane.name);
  }

  async collectLogs(dir: string): Promise<void> {
    await must('kind', ['export', 'logs', dir, '--name', this.ref.name]);
  }

  /** Idempotent: kind ignores a missing cluster; the fence and network likewise. */
  async delete(): Promise<void> {
    await must('kind', ['delete', 'cluster', '--name', this.ref.name]);
    await removeFence(this.ref.name);
    if (this.ref.network && this.ref.network !== 'kind') await removeNetwork(this.ref.network);
  }
}

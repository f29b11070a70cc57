// A kind cluster shakedown booted: its nodes, info, logs and deletion.
import { existsSync } from 'node:fs';
import type { ClusterHandle, ClusterInfo, ClusterRef } from '../types.ts';
import { exec, must } from '../../tools/exec.ts';
import { removeFence, removeNetwork } from './fence.ts';
import { KindNodeRuntime } from './nodes.ts';
import { isSpare } from './config.ts';
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
      const out = await exec('kubectl', ['--kubeconfig', this.ref.kubeconfig, 'get', 'nodes', '-o', 'json']);
      if (out.exitCode === 0) {
        const list = JSON.parse(out.stdout) as { items: Array<{ metadata: { name: string; labels: Record<string, string> }; status: { conditions?: Array<{ type: string; status: string }>; nodeInfo?: { kubeletVersion: string } } }> };
        for (const item of list.items) {
          version ??= item.status.nodeInfo?.kubeletVersion;
          nodes.push({
            name: item.metadata.name,
            role: 'node-role.kubernetes.io/control-plane' in item.metadata.labels ? 'control-plane' : isSpare(item.metadata.labels) ? 'spare' : 'worker',
            ready: item.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
          });
        }
      }
    }
    if (existsSync(this.ref.kubeconfig)) version = (await serverVersion(this.ref)) ?? version;
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

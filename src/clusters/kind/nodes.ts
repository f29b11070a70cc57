// The machines behind kind nodes are Docker containers; power and shell go
// through testcontainers' container runtime client (the Docker API), not
// through parsing CLI output.
import type { ExecResult, NodeContainer, NodeRuntime } from '../../core/cluster.ts';
import { must } from '../../tools/exec.ts';
import { runtimeClient } from './engine.ts';

// Callers found it here before engine.ts held it.
export { runtimeClient };

export class KindNodeRuntime implements NodeRuntime {
  readonly cluster: string;
  constructor(cluster: string) {
    this.cluster = cluster;
  }

  async names(): Promise<string[]> {
    const out = await must('kind', ['get', 'nodes', '--name', this.cluster]);
    return out
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('No kind nodes'));
  }

  async list(): Promise<NodeContainer[]> {
    const docker = await runtimeClient();
    const nodes = await Promise.all(
      (await this.names()).map(async (name) => {
        const info = await docker.container.inspect(docker.container.getById(name));
        const labels = info.Config.Labels ?? {};
        return {
          name,
          role: labels['io.x-k8s.kind.role'] === 'control-plane' ? ('control-plane' as const) : ('worker' as const),
          running: info.State.Running,
          labels,
        };
      }),
    );
    return nodes.sort((a, b) => a.name.localeCompare(b.name));
  }

  async stop(node: string, options: { kill?: boolean; timeoutSeconds?: number } = {}): Promise<void> {
    const docker = await runtimeClient();
    const container = docker.container.getById(node);
    if (options.kill) {
      await container.kill().catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 409) throw error; // 409: already stopped
      });
    } else {
      await docker.container.stop(container, { timeout: (options.timeoutSeconds ?? 10) * 1000 });
    }
  }

  async start(node: string): Promise<void> {
    const docker = await runtimeClient();
    const container = docker.container.getById(node);
    const info = await docker.container.inspect(container);
    if (!info.State.Running) await docker.container.start(container);
  }

  async copyIn(node: string, hostPath: string, nodePath: string): Promise<void> {
    await must('docker', ['cp', hostPath, `${node}:${nodePath}`]);
  }

  async exec(node: string, command: string[]): Promise<ExecResult> {
    const docker = await runtimeClient();
    const result = await docker.container.exec(docker.container.getById(node), command);
    return { exitCode: result.exitCode, output: result.output };
  }
}

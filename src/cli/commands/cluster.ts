// `shakedown cluster up|down|list|info`: the cluster step on its own, for
// debugging, benchmarks and suites that keep one cluster across scenarios.
import { KindCluster } from '../../clusters/kind/cluster.ts';
import { networkExists } from '../../clusters/kind/engine.ts';
import { kindClusters, KindProvider, networkName } from '../../clusters/kind/provider.ts';
import { UsageError } from '../../errors.ts';
import { ClusterSpec, CNIS } from '../../scenario/schema.ts';
import { EventBus } from '../../core/events.ts';
import type { CliIo } from '../io.ts';
import { attachView, type OutputMode } from '../output/views.ts';
import type { Verbosity } from '../output/format.ts';

export const DEFAULT_CLUSTER = 'shakedown';

export async function clusterCommand(args: string[], options: { stateDir: string; output: OutputMode; verbosity: Verbosity; name?: string; cni?: string; keepNetwork: boolean }, io: CliIo): Promise<number> {
  const [action] = args;
  const name = options.name ?? DEFAULT_CLUSTER;
  const provider = new KindProvider({ stateDir: options.stateDir, env: io.env });
  const ref = { provider: 'kind' as const, name, kubeconfig: provider.kubeconfigPath(name), network: networkName(name), owned: true };
  switch (action) {
    case 'up': {
      if (options.cni && !(CNIS as readonly string[]).includes(options.cni)) throw new UsageError(`--cni must be one of ${CNIS.join(', ')}`);
      const bus = new EventBus();
      const detach = attachView(bus, options.output, options.verbosity, io.stderr);
      const started = Date.now();
      try {
        const spec = ClusterSpec.parse({ ...(options.cni && { cni: options.cni }) });
        const { created } = await provider.ensure(spec, { name, runId: 'cluster-up', reuse: true, signal: new AbortController().signal, bus });
        io.stdout.write(`${created ? 'created' : 'reused'} cluster ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s\nkubeconfig: ${ref.kubeconfig}\n`);
      } finally {
        detach();
      }
      return 0;
    }
    case 'down': {
      const handle = (await provider.attach(ref)) as KindCluster;
      const network = await networkExists(networkName(name));
      await handle.delete();
      io.stdout.write(`deleted cluster ${name}${network ? ` and network ${networkName(name)} with its fence rules` : ''}\n`);
      return 0;
    }
    case 'list': {
      for (const cluster of await kindClusters()) io.stdout.write(`${cluster}\n`);
      return 0;
    }
    case 'info': {
      const info = await new KindCluster(ref).info();
      io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return 0;
    }
    default:
      throw new UsageError('cluster needs an action: up, down, list or info');
  }
}

// Revert handlers by name: `<fault type>/<revert>` from the fault registry,
// plus the runner's own (`cluster/delete`). The ledger stores only the name
// and JSON args, so `shakedown cleanup` can replay them after a crash.
import type { Registries } from './registries.ts';
import type { HandlerLookup, RevertHandler } from '../core/reverts.ts';
import type { RunnerPorts } from './ports.ts';
import type { ClusterRef } from '../core/cluster.ts';
import { deleteStack } from '../stack/teardown.ts';

export function revertHandlers(registries: Registries, ports: () => Pick<RunnerPorts, 'cluster'>): HandlerLookup {
  const core: Record<string, RevertHandler> = {
    'cluster/delete': async (args: { ref: ClusterRef }) => {
      const handle = await ports().cluster.attach(args.ref);
      await handle.delete();
    },
    'stack/delete': deleteStack,
    'namespaces/delete': async (args: { namespaces: string[] }, ctx) => {
      for (const name of args.namespaces) await ctx.kube!.deleteNamespace(name);
    },
  };
  return (key) => {
    if (core[key]) return core[key];
    const slash = key.indexOf('/');
    const fault = registries.faults[key.slice(0, slash)];
    return fault?.reverts[key.slice(slash + 1)];
  };
}

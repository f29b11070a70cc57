// Picks the provider a scenario names: kind boots and owns its clusters;
// existing attaches to one named by context and never deletes it.
import type { ClusterProvider } from './types.ts';
import { ExistingProvider } from './existing/provider.ts';
import { KindProvider, type KindProviderOptions } from './kind/provider.ts';

export function clusterProvider(options: KindProviderOptions): ClusterProvider {
  const kind = new KindProvider(options);
  const existing = new ExistingProvider();
  return {
    ensure: (spec, run) => (spec.provider === 'existing' ? existing.ensure(spec) : kind.ensure(spec, run)),
    attach: (ref) => (ref.provider === 'existing' ? existing.attach(ref) : kind.attach(ref)),
  };
}

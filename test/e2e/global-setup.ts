// Boots (or reuses) the e2e cluster once for the whole tier, exactly as
// `shakedown run` would, and deletes it at the end unless
// SHAKEDOWN_E2E_KEEP=1 (for iterating locally).
import type { TestProject } from 'vitest/node';
import { KindProvider } from '../../src/clusters/kind/provider.ts';
import { EventBus } from '../../src/core/events.ts';
import { ClusterSpec } from '../../src/scenario/schema.ts';
import { E2E_CLUSTER, STATE_DIR } from './cluster-name.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kubeconfig: string;
    clusterBootSeconds: number;
  }
}

export default async function setup(project: TestProject) {
  const bus = new EventBus();
  bus.on((e) => e.kind === 'log' && console.log(`[e2e setup] ${e.message}`));
  const provider = new KindProvider({ stateDir: STATE_DIR, env: process.env });
  const started = Date.now();
  const { handle, created } = await provider.ensure(ClusterSpec.parse({}), { name: E2E_CLUSTER, runId: 'e2e', reuse: true, signal: new AbortController().signal, bus });
  const seconds = (Date.now() - started) / 1000;
  console.log(`[e2e setup] cluster ${E2E_CLUSTER} ${created ? 'created' : 'reused'} in ${seconds.toFixed(1)} s`);
  project.provide('kubeconfig', handle.ref.kubeconfig);
  project.provide('clusterBootSeconds', seconds);
  return async () => {
    if (process.env.SHAKEDOWN_E2E_KEEP === '1') return;
    await handle.delete();
    console.log(`[e2e teardown] deleted cluster ${E2E_CLUSTER}, its network and fence rules`);
  };
}

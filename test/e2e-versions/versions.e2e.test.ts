// cluster.kubernetesVersion boots that version, and the rolling upgrade from
// the default version to the next minor runs end to end under k6 load on a
// real kind cluster (task test:versions, which builds both versions first).
import { describe, expect, it } from 'vitest';
import { kindClusters } from '../../src/clusters/kind/provider.ts';
import { runCli } from '../e2e/run-cli.ts';

const FROM = process.env.SHAKEDOWN_UPGRADE_FROM ?? 'v1.34.10';
const TO = process.env.SHAKEDOWN_UPGRADE_TO ?? 'v1.35.4';

describe('Kubernetes versions', () => {
  it(`a scenario asking for ${TO} boots ${TO}: the API server and every kubelet report it`, async () => {
    const { code, result, output } = runCli('test/e2e-versions/scenarios/boot-v1.35.yaml', ['--kubernetes-version', TO]);
    expect(code, output).toBe(0);
    expect(result.cluster?.kubernetesVersion).toBe(TO);
    expect(Object.values(result.cluster?.kubelets ?? {})).toEqual([TO, TO, TO]);
    expect(await kindClusters()).not.toContain('shakedown-e2e-boot-v1-35');
  });

  it(`the cluster upgraded from ${FROM} to ${TO} node by node under load, every drain through the Eviction API`, async () => {
    const { code, result, output } = runCli('scenarios/upgrade-rehearsal.yaml', ['--kubernetes-version', FROM, '--upgrade-to', TO]);
    expect(code, output).toBe(0);
    const upgrade = result.faults.find((f) => f.id === 'upgrade')!;
    expect(upgrade.details?.from).toBe(FROM);
    const nodes = upgrade.details?.nodes as Array<{ node: string; evicted: number }>;
    // Control plane first, then every worker, the spare too.
    expect(nodes.map((n) => n.node)).toEqual(['shakedown-upgrade-rehearsal-control-plane', 'shakedown-upgrade-rehearsal-worker', 'shakedown-upgrade-rehearsal-worker2', 'shakedown-upgrade-rehearsal-worker3']);
    // The stack's pods left the workers by eviction, under their budgets.
    expect(nodes.slice(1).reduce((sum, n) => sum + n.evicted, 0)).toBeGreaterThan(0);
    expect(result.assertions.filter((a) => a.status === 'failed')).toEqual([]);
    // Read after the upgrade: the API server and all four kubelets at the new version.
    expect(result.cluster?.kubernetesVersion).toBe(TO);
    expect(new Set(Object.values(result.cluster?.kubelets ?? {}))).toEqual(new Set([TO]));
    expect(await kindClusters()).not.toContain('shakedown-upgrade-rehearsal');
  });

  it(`the rehearsal runs a user's own manifests instead of the sample stack (--manifests, --target), from ${FROM} to ${TO}`, async () => {
    const { code, result, output } = runCli('scenarios/upgrade-rehearsal.yaml', ['--kubernetes-version', FROM, '--upgrade-to', TO, '--manifests', 'test/e2e/scenarios/own-stack', '--target', 'web:80'], 'upgrade-own-stack');
    expect(code, output).toBe(0);
    // Only the user's workloads were deployed and watched: none of the sample's.
    expect(output).toMatch(/stack ready in namespace \S+: web\b/);
    expect(Object.keys(result.series).filter((name) => name.startsWith('ready:'))).toEqual(['ready:web']);
    const nodes = (result.faults.find((f) => f.id === 'upgrade')!.details?.nodes ?? []) as Array<{ node: string; evicted: number; evictedPods?: string[] }>;
    expect(nodes).toHaveLength(4);
    // Their pods (and nothing of a sample stack) were evicted from the workers, under the user's own budget.
    expect(nodes.slice(1).reduce((sum, n) => sum + n.evicted, 0)).toBeGreaterThan(0);
    expect(result.assertions.filter((a) => a.status === 'failed')).toEqual([]);
    expect(result.assertions.find((a) => a.name === 'pdb-held')?.status).toBe('passed');
    expect(new Set(Object.values(result.cluster?.kubelets ?? {}))).toEqual(new Set([TO]));
    expect(await kindClusters()).not.toContain('shakedown-upgrade-rehearsal');
  });
});

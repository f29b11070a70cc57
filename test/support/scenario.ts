import type { Scenario } from '../../src/scenario/model.ts';
import type { PlannedFault } from '../../src/scenario/model.ts';

/** A minimal valid scenario around test faults and scripted assertions. */
export function testScenario(options: { faults?: Array<Partial<PlannedFault> & { params: unknown }>; assertion?: { steady?: boolean; window?: boolean; recovery?: boolean }; load?: number } = {}): Scenario {
  return {
    file: 'test.yaml',
    name: 'unit',
    cluster: { provider: 'kind', cni: 'auto', kubernetesVersion: 'v1.34.10', workers: 2, spare: 0, reuse: false, fence: 'auto' },
    stack: { namespace: 'unit', sample: false, variant: 'healthy', manifests: [], deployments: [] },
    ...(options.load !== undefined && { load: { tool: 'k6', target: { service: 'frontend', port: 80, path: '/' }, vus: 1, duration: options.load } }),
    faults: (options.faults ?? []).map((f, i) => ({ id: f.id ?? `f${i + 1}`, type: f.type ?? 'world-fault', at: f.at ?? 0, ...(f.duration !== undefined && { duration: f.duration }), params: f.params, assert: f.assert ?? [] })),
    assertions: [{ name: 'scripted', type: 'scripted', params: { steady: true, window: true, recovery: true, ...options.assertion } }],
    recoveryTimeout: 1000,
    report: { formats: ['json', 'junit', 'markdown', 'html'] },
  };
}

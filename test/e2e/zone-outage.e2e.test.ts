// A zone down under load on the shared e2e cluster: every worker of zone-a
// stopped at once. The healthy stack rides it out on the other zone; the
// stack kept in that zone fails, explained. (Its own file, so the e2e tier's
// shards come out about even; see vitest.e2e.config.ts.)
import { describe, expect, it } from 'vitest';
import { must } from '../../src/tools/exec.ts';
import { runOnSharedCluster, verdictOf } from './run-cli.ts';

describe('a zone down under load (every worker of zone-a stopped)', () => {
  it('the zone is stopped at once, the budgets hold, the stack recovers, and every machine runs again', async () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/zone-outage-short.yaml');
    expect(result.faults[0]!.details).toMatchObject({ zone: 'zone-a' });
    const nodes = result.faults[0]!.details!.nodes as string[];
    expect(nodes.length).toBeGreaterThan(0);
    expect(result.faults[0]).toMatchObject({ state: 'reverted' });
    expect(verdictOf(result, 'pdb-held', 'zone-a-down')?.status).toBe('passed');
    expect(verdictOf(result, 'recovered-within', 'recovery')?.status, output).toBe('passed');
    expect(code, output).toBe(0);
    // The other zone served throughout: some requests failed, no stretch failed them all.
    expect(verdictOf(result, 'availability', 'zone-a-down')?.status, output).toBe('passed');
    for (const node of nodes) expect((await must('docker', ['inspect', '-f', '{{.State.Running}}', node])).trim()).toBe('true');
  });

  it('fails when the whole stack is kept in that zone, naming the zone, the nodeSelector and the spread to add', async () => {
    const { code, result, output } = runOnSharedCluster('test/e2e/scenarios/zone-outage-one-zone.yaml');
    expect(code, output).toBe(1);
    const availability = verdictOf(result, 'availability', 'zone-a-down')!;
    expect(availability.status).toBe('failed');
    expect(availability.explanation?.cause, availability.message).toMatch(
      /^all 3 pods of Deployment shakedown-stack\/(frontend|backend) ran in zone zone-a \([^)]*\), where its nodeSelector \{topology\.kubernetes\.io\/zone: zone-a\} confines them, and the fault took that zone down whole/,
    );
    expect(availability.explanation?.fix).toContain('topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule');
    expect(result.faults[0]).toMatchObject({ state: 'reverted' });
    for (const node of result.faults[0]!.details!.nodes as string[]) expect((await must('docker', ['inspect', '-f', '{{.State.Running}}', node])).trim()).toBe('true');
  });
});

import { describe, expect, it } from 'vitest';
import { variantsBy } from '../../../src/cli/commands/run.ts';
import { UsageError } from '../../../src/errors.ts';
import { defaultRegistries } from '../../../src/registries.ts';
import { loadScenario } from '../../../src/scenario/loader.ts';

describe('--provider: one run per value of a param a fault type lets vary', () => {
  it('sets the value on every spot-drain fault and leaves the others alone', async () => {
    const scenario = await loadScenario('scenarios/spot-drain.yaml', defaultRegistries);
    const variants = variantsBy('provider', 'aws, gcp', scenario, defaultRegistries)!;
    expect(variants.map((v) => v.label)).toEqual(['aws', 'gcp']);
    for (const v of variants) {
      for (const f of v.scenario.faults) {
        const before = scenario.faults.find((b) => b.id === f.id)!;
        if (f.type === 'spot-drain') expect((f.params as { provider: string }).provider).toBe(v.label);
        else expect(f.params).toEqual(before.params);
      }
    }
    // The scenario read from the file is untouched.
    expect(scenario.faults.filter((f) => f.type === 'spot-drain').map((f) => (f.params as { provider: string }).provider)).not.toContain('gcp');
  });

  it('is absent without the flag, refuses an unknown value, and a scenario with no such fault', async () => {
    const scenario = await loadScenario('scenarios/spot-drain.yaml', defaultRegistries);
    expect(variantsBy('provider', undefined, scenario, defaultRegistries)).toBeUndefined();
    expect(() => variantsBy('provider', 'aws,azur', scenario, defaultRegistries)).toThrow(/--provider must be a comma-separated list of aws, .* \(got azur\)/);
    const podKill = await loadScenario('scenarios/pod-kill.yaml', defaultRegistries);
    expect(() => variantsBy('provider', 'aws', podKill, defaultRegistries)).toThrow(UsageError);
    expect(() => variantsBy('provider', 'aws', podKill, defaultRegistries)).toThrow(/--provider applies to spot-drain faults; .*pod-kill\.yaml has none/);
  });
});

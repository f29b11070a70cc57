import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.ts';
import { defaultRegistries } from '../../../src/registries.ts';
import { loadFile, loadScenario } from '../../../src/scenario/loader.ts';
import { parseDuration } from '../../../src/scenario/duration.ts';

const invalid = 'test/fixtures/scenarios/invalid';

async function problems(file: string): Promise<string[]> {
  try {
    await loadFile(file, defaultRegistries);
  } catch (error) {
    if (error instanceof InputError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('scenario loader', () => {
  it.each(readdirSync('scenarios').filter((f) => f.endsWith('.yaml')))('loads the committed scenario %s', async (file) => {
    await expect(loadFile(join('scenarios', file), defaultRegistries)).resolves.toBeDefined();
  });

  it('parses durations once, into milliseconds, and fills defaults', async () => {
    const scenario = await loadScenario('scenarios/spot-drain.yaml', defaultRegistries);
    expect(scenario.load?.duration).toBe(240_000);
    expect(scenario.faults[0]).toMatchObject({ id: 'reclaim', type: 'spot-drain', at: 30_000 });
    expect(scenario.faults[0]!.params).toMatchObject({ provider: 'aws', terminate: 'stop', replacement: true });
    expect(scenario.cluster).toMatchObject({ provider: 'kind', workers: 2, spare: 1, cni: 'auto' });
    expect(scenario.stack.manifests).toEqual([]);
    expect(scenario.recoveryTimeout).toBe(90_000);
  });

  it.each([
    ['1m30s', 90_000],
    ['500ms', 500],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['90', undefined],
    ['5x', undefined],
    ['', undefined],
  ])('parseDuration(%j) = %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  const cases: Array<[string, string[]]> = [
    ['unknown-key.yaml', [': unknown key "faultz": did you mean "faults"?']],
    ['wrong-type.yaml', [': load.vus: must be a number (got "ten")']],
    ['negative-duration.yaml', [': faults[0].at: must not be negative (got -5s)']],
    ['fault-after-load.yaml', [': faults[0].at: starts at 5m, after the load ends (load.duration is 1m)']],
    [
      'unknown-fault-type.yaml',
      [': faults[0].type: unknown fault type "meteor-strike" (known: control-plane-outage, dns-outage, network-partition, node-restart, node-stop, packet-loss, pod-kill, resource-pressure, rolling-upgrade, spot-drain, zone-outage)'],
    ],
    ['bad-yaml.yaml', [': invalid YAML at line']],
    ['rate-out-of-range.yaml', [': assertions[0].params.maxErrorRate: must be <= 1']],
    ['wrong-api-version.yaml', [': apiVersion: must be "shakedown.dev/v1alpha1" (got "shakedown.dev/v2")']],
    ['undefined-assertion.yaml', [': faults[0].assert[0]: refers to assertion "nope", which is not defined']],
    ['duration-without-unit.yaml', [': faults[0].at: must be a duration like']],
    ['unknown-param.yaml', [': faults[0].params: unknown key "nodee": did you mean "node"?']],
    ['existing-without-context.yaml', [': cluster.context: provider "existing" needs the kubeconfig context']],
    ['empty.yaml', [': must be a YAML mapping']],
    ['duplicate-and-overlong.yaml', [': faults[1].id: duplicate fault id "a"', ': faults[1].duration: window 20s..1m20s ends after the load']],
    ['misspelt-kind.yaml', [': kind: must be Scenario or Suite (got "Senario"): did you mean "Scenario"?']],
    // Shape errors first, then what the second pass still finds: the types and
    // params of the entries that parsed (faults[2] did not, so its params go unchecked).
    [
      'both-passes.yaml',
      [
        ': load.target: unknown key "srvice": did you mean "service"?',
        ': load.vus: must be a number (got "ten")',
        ': faults[2].at: must be a duration like',
        ': faults[0].type: unknown fault type "spot-drian": did you mean "spot-drain"?',
        ': faults[1].params: unknown key "notise": did you mean "notice"?',
        ': assertions[0].type: unknown assertion type "availabilty": did you mean "availability"?',
      ],
    ],
    // Only sections no rule reads are broken, so the rules run beside them.
    [
      'typos-and-rules.yaml',
      [
        ': metadata.name: must be a DNS label',
        ': unknown key "clustr": did you mean "cluster"?',
        ': faults[0].assert[0]: refers to assertion "availabilty", which is not defined: did you mean "availability"?',
        ': faults[0].at: starts at 5m, after the load ends (load.duration is 1m)',
      ],
    ],
  ];
  it.each(cases)('%s: reports every problem with file and field', async (name, expected) => {
    const file = join(invalid, name);
    const lines = await problems(file);
    expect(lines).toHaveLength(expected.length);
    expected.forEach((text, i) => {
      expect(lines[i]!.startsWith(file)).toBe(true);
      expect(lines[i]).toContain(text);
    });
  });

  it('covers every invalid fixture', () => {
    expect(readdirSync(invalid).sort()).toEqual([...cases.map(([name]) => name), 'suite-shape-and-scenario.yaml'].sort());
  });

  it('a suite whose own shape is wrong still has its scenario files checked', async () => {
    const lines = await problems(join(invalid, 'suite-shape-and-scenario.yaml'));
    expect(lines).toEqual([
      `${invalid}/suite-shape-and-scenario.yaml: repeat: must be >= 1`,
      `${invalid}/unknown-fault-type.yaml: faults[0].type: unknown fault type "meteor-strike" (known: control-plane-outage, dns-outage, network-partition, node-restart, node-stop, packet-loss, pod-kill, resource-pressure, rolling-upgrade, spot-drain, zone-outage)`,
    ]);
  });

  it('loads a suite and its scenarios, reporting problems inside them', async () => {
    const loaded = await loadFile('test/fixtures/scenarios/suite.yaml', defaultRegistries);
    expect(loaded.kind).toBe('Suite');
    // Unset in the file: a regression is a figure more than 25% worse than the history's median.
    expect(loaded.kind === 'Suite' && loaded.suite.regressionMargin).toBe(0.25);
    const lines = await problems('test/fixtures/scenarios/broken-suite.yaml');
    expect(lines.some((l) => l.startsWith(`${invalid}/unknown-key.yaml: `))).toBe(true);
  });
});

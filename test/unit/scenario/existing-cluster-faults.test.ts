// spot-drain on a cluster shakedown did not create: refused at load time
// (so `validate` says so, exit 2) unless the scenario says termination is
// none; in a suite, judged against the suite's cluster, which its scenarios run on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.ts';
import { defaultRegistries } from '../../../src/registries.ts';
import { loadFile } from '../../../src/scenario/loader.ts';

const existing = 'cluster:\n  provider: existing\n  context: staging\n';

function scenario(cluster: string, params: string): string {
  return `apiVersion: shakedown.dev/v1alpha1
kind: Scenario
metadata:
  name: reclaim
${cluster}stack:
  sample: true
faults:
  - type: pod-kill
    at: 0s
    params: {selector: app=web, count: 1}
  - type: spot-drain
    at: 0s
    params: ${params}
`;
}

function files(entries: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-existing-'));
  for (const [name, text] of Object.entries(entries)) writeFileSync(join(dir, name), text);
  return dir;
}

async function problems(dir: string, file: string): Promise<string[]> {
  try {
    await loadFile(file, defaultRegistries, dir);
    return [];
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
    throw error;
  }
}

describe('spot-drain on an existing cluster', () => {
  it('is refused at load time with the reason and the way out', async () => {
    const dir = files({ 's.yaml': scenario(existing, '{notice: 20s}') });
    expect(await problems(dir, 's.yaml')).toEqual([
      's.yaml: faults[1].type: spot-drain cannot terminate a node of an existing cluster (staging): shakedown cannot stop a machine it did not create, and would only fail after draining real pods for the whole notice. Set params.terminate: none to drain and taint the node without stopping it, or use a kind cluster',
    ]);
  });

  it('is refused with terminate: stop or kill said outright', async () => {
    const dir = files({ 'stop.yaml': scenario(existing, '{terminate: stop}'), 'kill.yaml': scenario(existing, '{terminate: kill}') });
    expect(await problems(dir, 'stop.yaml')).toHaveLength(1);
    expect(await problems(dir, 'kill.yaml')).toHaveLength(1);
  });

  it('is accepted with terminate: none, and on kind clusters as before', async () => {
    const dir = files({ 'none.yaml': scenario(existing, '{terminate: none}'), 'kind.yaml': scenario('', '{notice: 20s}') });
    expect(await problems(dir, 'none.yaml')).toEqual([]);
    expect(await problems(dir, 'kind.yaml')).toEqual([]);
  });

  it("in a suite, is judged against the suite's cluster, which its scenarios run on", async () => {
    const suite = (name: string, cluster: string) => `apiVersion: shakedown.dev/v1alpha1\nkind: Suite\nmetadata:\n  name: ${name}\n${cluster}scenarios: [kind.yaml]\n`;
    const dir = files({ 'kind.yaml': scenario('', '{notice: 20s}'), 'on-existing.yaml': suite('on-existing', existing), 'on-kind.yaml': suite('on-kind', '') });
    expect(await problems(dir, 'on-existing.yaml')).toEqual([expect.stringMatching(/^kind\.yaml: faults\[1\]\.type: spot-drain cannot terminate a node of an existing cluster \(staging\)/)]);
    expect(await problems(dir, 'on-kind.yaml')).toEqual([]);
  });

  it('validate exits 2 naming the fault', () => {
    const dir = files({ 's.yaml': scenario(existing, '{notice: 20s}') });
    const out = spawnSync(process.execPath, ['bin/shakedown.js', 'validate', join(dir, 's.yaml')], { encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('s.yaml: faults[1].type: spot-drain cannot terminate a node of an existing cluster');
  });
});

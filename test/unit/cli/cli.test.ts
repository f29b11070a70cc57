import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistries } from '../../../src/registries.ts';
import { scenarioJsonSchemaText } from '../../../src/scenario/json-schema.ts';

function shakedown(...args: string[]) {
  const out = spawnSync(process.execPath, ['bin/shakedown.js', ...args], { encoding: 'utf8', env: { ...process.env, SHAKEDOWN_STATE_DIR: '/nonexistent-state-dir' } });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const invalid = 'test/fixtures/scenarios/invalid';

describe('shakedown CLI', () => {
  it.each(readdirSync(invalid))('validate %s exits 2, names the file, no stack trace', (name) => {
    const file = join(invalid, name);
    const out = shakedown('validate', file);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${file}: `);
    expect(out.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(out.stderr).not.toContain('internal error');
  });

  it('validate reports problems of several files at once', () => {
    const out = shakedown('validate', 'scenarios/spot-drain.yaml', join(invalid, 'unknown-key.yaml'), join(invalid, 'wrong-type.yaml'));
    expect(out.code).toBe(2);
    expect(out.stdout).toContain('scenarios/spot-drain.yaml: ok');
    expect(out.stderr).toContain('2 problems found');
  });

  it('run --dry-run prints the plan and timeline and touches nothing', () => {
    const out = shakedown('run', '--dry-run', 'scenarios/spot-drain.yaml');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('fault reclaim (spot-drain)');
    expect(out.stdout).toContain('T+2m30s stop the node');
    expect(out.stdout).toMatch(/reclaim\s+\|\s+#+>\| 30s\.\.end of run/);
    expect(out.stdout).toContain('Dry run: nothing was touched.');
    expect(existsSync('/nonexistent-state-dir')).toBe(false);
  });

  it("the upgrade rehearsal takes its versions and the user's own stack from the command line", () => {
    const out = shakedown('run', '--dry-run', 'scenarios/upgrade-rehearsal.yaml', '--kubernetes-version', 'v1.34.10', '--upgrade-to', 'v1.35.4', '--manifests', 'test/e2e/scenarios/own-stack', '--target', 'web:80');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('create kind cluster "shakedown-upgrade-rehearsal" (Kubernetes v1.34.10');
    expect(out.stdout).toContain('kubeadm upgrade apply v1.35.4');
    expect(out.stdout).toMatch(/stack: .*own-stack/);
    expect(out.stdout).not.toContain('sample web stack');
    expect(out.stdout).toContain('against service web:80/');
  });

  it('run --dry-run --output ndjson prints the plan as one event', () => {
    const out = shakedown('run', '--dry-run', '--output', 'ndjson', 'scenarios/spot-drain.yaml');
    expect(JSON.parse(out.stdout)).toMatchObject({ kind: 'plan' });
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['run'], 'run needs a scenario file'],
    [['run', '--bogus', 'x.yaml'], "Unknown option '--bogus'"],
    [['run', '--dry-run', '--cni', 'weave', 'scenarios/spot-drain.yaml'], '--cni must be one of'],
    [['cleanup', '--run', 'a', '--all'], 'not both'],
    [['run', '--dry-run', '--upgrade-to', 'v1.35.4', 'scenarios/spot-drain.yaml'], '--upgrade-to applies to rolling-upgrade faults; scenarios/spot-drain.yaml has none'],
    [['run', '--dry-run', '--kubernetes-version', '1.35', 'scenarios/spot-drain.yaml'], '--kubernetes-version must be a Kubernetes version such as v1.35.4 (got 1.35)'],
    [['run', '--dry-run', '--manifests', 'test/e2e/scenarios/own-stack', 'scenarios/spot-drain.yaml'], '--manifests needs --target SERVICE[:PORT]'],
    [['run', '--dry-run', '--target', 'Web:x', 'scenarios/spot-drain.yaml'], '--target must be SERVICE or SERVICE:PORT'],
  ])('usage errors exit 2: %j', (args, message) => {
    const out = shakedown(...args);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('a missing scenario file is invalid input', () => {
    const out = shakedown('run', '--dry-run', 'scenarios/nope.yaml');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('scenarios/nope.yaml: file not found');
  });

  it('the committed JSON Schema matches the source', () => {
    expect(readFileSync('scenarios/scenario.schema.json', 'utf8')).toBe(scenarioJsonSchemaText(defaultRegistries));
  });

  it('the JSON Schema spells out each fault type and its params', () => {
    const text = scenarioJsonSchemaText(defaultRegistries);
    for (const type of Object.keys(defaultRegistries.faults)) expect(text).toContain(`"const": "${type}"`);
    expect(text).toContain('"notice"');
  });
});

describe('suites', () => {
  it('plan every scenario of a suite, repeated, on one cluster that later runs reuse', () => {
    const out = shakedown('run', '--dry-run', 'test/fixtures/scenarios/suite.yaml');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('--- spot-drain #1 ---');
    expect(out.stdout).toContain('--- spot-drain #2 ---');
    expect(out.stdout).toContain('cluster: create kind cluster "shakedown-nightly"');
    expect(out.stdout).toContain('cluster: reuse or create kind cluster "shakedown-nightly"');
  });
});

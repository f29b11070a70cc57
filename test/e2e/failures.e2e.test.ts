// Infrastructure failures end with a clear message, exit 3, and nothing
// left behind: no cluster, no Docker network, no fence rules.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fenceRules } from '../../src/clusters/kind/fence.ts';
import { kindClusters, networkName } from '../../src/clusters/kind/provider.ts';
import { exec } from '../../src/tools/exec.ts';

function shakedown(args: string[], env: Record<string, string> = {}) {
  const out = spawnSync(process.execPath, ['bin/shakedown.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: out.status, text: out.stdout + out.stderr };
}

async function nothingLeft(cluster: string) {
  expect(await kindClusters()).not.toContain(cluster);
  expect((await exec('docker', ['network', 'inspect', networkName(cluster)])).exitCode).not.toBe(0);
  expect(await fenceRules(cluster)).toEqual([]);
}

describe('infrastructure failures', () => {
  it('a node image that is not here and cannot be pulled: exit 3, told how to get one, nothing created', async () => {
    const out = shakedown(['run', 'test/e2e/scenarios/missing-image.yaml', '--output', 'plain']);
    expect(out.code, out.text).toBe(3);
    expect(out.text).toContain('node image shakedown/node:does-not-exist is not on this machine and cannot be pulled');
    expect(out.text).toContain('task cluster:images');
    await nothingLeft('shk-noimage');
  });

  it('nodes that never become Ready: exit 3 with what the cluster looked like, and the half-made cluster is gone', async () => {
    const out = shakedown(['cluster', 'up', '--name', 'shk-notready'], { SHAKEDOWN_READY_TIMEOUT_SECONDS: '1' });
    expect(out.code, out.text).toBe(3);
    expect(out.text).toMatch(/did not (all become Ready|roll out) within 1s/);
    expect(out.text).toContain('node logs kept in');
    await nothingLeft('shk-notready');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listLedgers } from '../../../src/runner/ledger.ts';

describe('without a Docker engine', () => {
  it('run stops in the cluster phase with exit 3, says how to get one, and leaves no pending revert', () => {
    const state = mkdtempSync(join(tmpdir(), 'shakedown-noengine-'));
    const out = spawnSync(process.execPath, ['bin/shakedown.js', 'run', 'scenarios/spot-drain.yaml', '--output', 'plain', '--state-dir', state], {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(out.status).toBe(3);
    expect(out.stdout).toContain('no usable Docker engine: start one, or run `task tools`');
    const [ledger] = listLedgers(state);
    expect(ledger?.finished).toBe(true);
    expect(ledger?.pending).toEqual([]);
  });
});

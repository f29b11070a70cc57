import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolPath } from '../../../src/tools/paths.ts';

describe('finding a tool', () => {
  const root = mkdtempSync(join(tmpdir(), 'shakedown-paths-'));
  const dir = (name: string, tools: string[]) => {
    mkdirSync(join(root, name), { recursive: true });
    for (const tool of tools) writeFileSync(join(root, name, tool), '');
    return join(root, name);
  };
  const toolsBin = dir('tools-bin', ['kind']);
  const bin = dir('bin', ['kubectl']);
  const sbin = dir('sbin', ['iptables', 'kubectl']);
  const options = { path: bin, sbinDirs: [sbin], toolsBin };

  it('prefers the project-local copy, then PATH', () => {
    expect(toolPath('kind', options)).toBe(join(toolsBin, 'kind'));
    expect(toolPath('kubectl', options)).toBe('kubectl');
  });

  it('finds iptables in sbin when the PATH of a non-root user lacks it', () => {
    expect(toolPath('iptables', options)).toBe(join(sbin, 'iptables'));
  });

  it('leaves an unknown tool bare, so the error names it', () => {
    expect(toolPath('weave', options)).toBe('weave');
  });
});

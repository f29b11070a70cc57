// The real bin, as users run it: through a pipe, and under an old Node.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve('bin/shakedown.js');
const sh = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A manifest with `pods` pods and no policies: every pair is a cell of the JSON matrix. */
function manyPods(pods: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'shakedown-pipe-'));
  const file = join(dir, 'pods.yaml');
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n'];
  for (let i = 0; i < pods; i++) docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: pod-${i}, namespace: prod, labels: {app: a${i % 5}}}\n`);
  writeFileSync(file, docs.join('---\n'));
  return file;
}

describe('output through a pipe', () => {
  it('a JSON document of several MB reaches the reading program whole', () => {
    const manifests = manyPods(200);
    // The reader starts slower than the writer finishes, as jq does: all it gets is what the pipe held unless shakedown waits.
    const reader = `let n=0,t='';process.stdin.setEncoding('utf8').on('data',d=>{n+=Buffer.byteLength(d);t+=d}).on('end',()=>console.log(JSON.stringify({bytes:n,cells:JSON.parse(t).cells.length})))`;
    const pipeline = `${sh(process.execPath)} ${sh(bin)} netpol expect --manifests ${sh(manifests)} --format json | ${sh(process.execPath)} -e ${sh(reader)}; echo "writer exit $\{PIPESTATUS[0]}" >&2`;
    const out = spawnSync('bash', ['-c', pipeline], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(out.stderr).toContain('writer exit 0');
    const read = JSON.parse(out.stdout) as { bytes: number; cells: number };
    expect(read.bytes).toBeGreaterThan(2_000_000);
    expect(read.cells).toBe(200 * 200);
  });

  it('a reader that stops early ends the run quietly', () => {
    const manifests = manyPods(200);
    const out = spawnSync('bash', ['-c', `${sh(process.execPath)} ${sh(bin)} netpol expect --manifests ${sh(manifests)} --format json | head -c 100 >/dev/null; echo "writer exit $\{PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(out.stderr.trim()).toBe('writer exit 0');
  });
});

// The machine's own Node, when it is older than the sources need.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
  if (!existsSync(path)) return false;
  const [major, minor] = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim().split('.').map(Number);
  return major! < 22 || (major === 22 && minor! < 18);
});

describe.skipIf(!systemNode)(`under a Node older than 22.18 (${systemNode})`, () => {
  const noStackTrace = /\n\s+at .*:\d+:\d+|ERR_UNKNOWN_FILE_EXTENSION/;

  it.skipIf(!existsSync('.tools/bin/node'))('hands over to the project Node in .tools/bin', () => {
    const out = spawnSync(systemNode!, [bin, '--help'], { encoding: 'utf8' });
    expect(out.stderr).not.toMatch(noStackTrace);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('Usage:');
    const invalid = spawnSync(systemNode!, [bin, 'validate', 'test/fixtures/scenarios/invalid/unknown-key.yaml'], { encoding: 'utf8' });
    expect(invalid.status).toBe(2);
  });

  it('without one, says in one line which Node is needed and how to get it, exit 3', () => {
    // A clone with no .tools yet: the launcher alone, beside the package.json that makes it a module.
    const clone = mkdtempSync(join(tmpdir(), 'shakedown-clone-'));
    mkdirSync(join(clone, 'bin'));
    copyFileSync(bin, join(clone, 'bin', 'shakedown.js'));
    copyFileSync('package.json', join(clone, 'package.json'));
    const out = spawnSync(systemNode!, [join(clone, 'bin', 'shakedown.js'), '--help'], { encoding: 'utf8' });
    expect(out.status).toBe(3);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('needs Node.js >= 22.18');
    expect(out.stderr).toContain('task deps');
    expect(out.stderr).toContain('scripts/ensure-node.sh');
    expect(out.stderr).not.toMatch(noStackTrace);
  });
});

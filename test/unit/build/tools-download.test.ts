// The no-Go path of clusters/build/tools.sh, as a machine without Go takes
// it: release files over HTTP, here from a mirror on loopback that holds
// stand-in executables at the official paths (nothing leaves the machine).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pin } from '../../../src/tools/versions.ts';

const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
const fakeTool = (name: string) => `#!/bin/sh\necho "${name} stand-in"\n`;

/** The official URL paths tools.sh downloads, each with the bytes to serve. */
function mirrorFiles(work: string): Record<string, Buffer> {
  const tarball = (top: string, files: Record<string, string>) => {
    const dir = mkdtempSync(join(work, 'tar-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, top, path)), { recursive: true });
      writeFileSync(join(dir, top, path), text);
      chmodSync(join(dir, top, path), 0o755);
    }
    return execFileSync('tar', ['-cz', '-C', dir, top || '.']);
  };
  const k6 = `k6-${pin('K6_VERSION')}-linux-${arch}`;
  return {
    [`/kind.sigs.k8s.io/dl/${pin('KIND_VERSION')}/kind-linux-${arch}`]: Buffer.from(fakeTool('kind')),
    [`/github.com/grafana/k6/releases/download/${pin('K6_VERSION')}/${k6}.tar.gz`]: tarball(k6, { k6: fakeTool('k6'), 'README.md': 'not a tool' }),
    [`/github.com/go-task/task/releases/download/${pin('TASK_VERSION')}/task_linux_${arch}.tar.gz`]: tarball('', { task: fakeTool('task'), 'completion/bash/task.bash': '', LICENSE: '' }),
    [`/dl.k8s.io/release/${pin('KUBERNETES_VERSION')}/bin/linux/${arch}/kubectl`]: Buffer.from(fakeTool('kubectl')),
  };
}

describe('tools.sh without Go', () => {
  const work = mkdtempSync(join(tmpdir(), 'shakedown-tools-'));
  const requests: string[] = [];
  let server: ReturnType<typeof createServer>;
  let mirror = '';
  beforeAll(async () => {
    const files = mirrorFiles(work);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = files[req.url ?? ''];
      if (body) res.end(body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  /** Async: the mirror answers from this process, so it must not be blocked. */
  const runTools = (dirs = { cache: 'cache', bin: 'bin' }, base = mirror) =>
    new Promise<{ status: number | null; stderr: string }>((resolve) => {
      // No Go on PATH: the download path is taken.
      const env = { PATH: '/usr/bin:/bin', HOME: work, SHAKEDOWN_CACHE: join(work, dirs.cache), SHAKEDOWN_TOOLS_BIN: join(work, dirs.bin), SHAKEDOWN_RELEASE_MIRROR: base };
      const child = spawn('bash', ['clusters/build/tools.sh'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });

  it('downloads kind, k6, task and kubectl at their pinned versions, unpacks only the tool, and links it', async () => {
    const out = await runTools();
    expect(out.status, out.stderr).toBe(0);
    for (const tool of ['kind', 'k6', 'task', 'kubectl']) {
      const link = join(work, 'bin', tool);
      expect(readlinkSync(link)).toContain(join(work, 'cache', 'tools'));
      expect(execFileSync(link, { encoding: 'utf8' }).trim()).toBe(`${tool} stand-in`);
    }
    expect(readFileSync(join(work, 'cache', 'tools', `k6-${pin('K6_VERSION')}`, 'k6'), 'utf8')).toContain('k6 stand-in');
    expect(out.stderr).toContain('Go not found: downloading');
    expect(requests).toHaveLength(4);
  });

  it('skips what is already there: a second run downloads nothing', async () => {
    const before = requests.length;
    const out = await runTools();
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/skip: kind/);
    expect(requests.length).toBe(before);
  });

  it('fails loudly when a download is missing', async () => {
    const out = await runTools({ cache: 'other-cache', bin: 'other-bin' }, `${mirror}/nothing-here`);
    expect(out.status).not.toBe(0);
    expect(out.stderr).toMatch(/404|error/i);
  });
});

// The `docker save | docker exec -i` stream end to end over a real socket: a
// stand-in engine on a unix socket answers the Docker API as dockerd does
// (101 upgrade, then the raw multiplexed stream), so what is checked is the
// real testcontainers client, dockerode's hijack and the half-close that
// lets the command see EOF while its output still comes back.
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const socketPath = join(mkdtempSync(join(tmpdir(), 'shakedown-engine-')), 'docker.sock');
vi.stubEnv('DOCKER_HOST', `unix://${socketPath}`);
const { execWithInput, imageArchive } = await import('../../../src/clusters/kind/engine.ts');

const IMAGE_TAR = Buffer.alloc(3 * 1024 * 1024, 7); // several socket writes' worth
let stdinSeen = -1;
let server: Server;

function frame(stream: 1 | 2, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

/** After the 101, the exec's stdin is whatever the client sends until it half-closes; the command answers then, and the engine closes. */
function runExec(req: IncomingMessage, socket: Socket, head: Buffer): void {
  socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
  // The start request's JSON body arrives ahead of the stream: skip it as dockerd's parser would have read it.
  let skip = Number(req.headers['content-length'] ?? 0);
  let received = 0;
  const take = (chunk: Buffer) => {
    const dropped = Math.min(skip, chunk.length);
    skip -= dropped;
    received += chunk.length - dropped;
  };
  take(head);
  socket.on('data', take);
  socket.on('end', () => {
    stdinSeen = received;
    socket.end(Buffer.concat([frame(1, `unpacking docker.io/shakedown/agent:1 (${received} bytes)...done\n`), frame(2, '')]));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (req.url === '/info') return reply(200, { ServerVersion: 'fake', OperatingSystem: 'linux', DefaultRuntime: 'runc' });
    if (req.url === '/containers/shk-worker/exec') return reply(201, { Id: 'e1' });
    if (req.url === '/exec/e1/json') return reply(200, { Running: false, ExitCode: 0 });
    if (req.url === '/images/shakedown/agent:1/get') {
      res.writeHead(200, { 'content-type': 'application/x-tar' });
      return res.end(IMAGE_TAR);
    }
    reply(404, { message: `no route ${req.url}` });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (req.url === '/exec/e1/start') runExec(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

describe('streaming an image into a node over the Docker API', () => {
  it("sends the whole archive, closes only the write side, and still reads the command's answer", async () => {
    const out = await execWithInput('shk-worker', ['ctr', '-n', 'k8s.io', 'images', 'import', '--digests', '-'], await imageArchive('shakedown/agent:1'));
    expect(stdinSeen).toBe(IMAGE_TAR.length);
    expect(out).toEqual({ exitCode: 0, stdout: `unpacking docker.io/shakedown/agent:1 (${IMAGE_TAR.length} bytes)...done\n`, stderr: '' });
  });

  it('works with any readable as input', async () => {
    const out = await execWithInput('shk-worker', ['ctr'], Readable.from([Buffer.from('abc'), Buffer.from('de')]));
    expect(stdinSeen).toBe(5);
    expect(out.exitCode).toBe(0);
  });
});

// The Docker engine through testcontainers' client, with a fake client in its
// place: connecting (and forgetting a failed connection), DOCKER_HOST kept to,
// the label filter, pull failures told in the progress stream, and the
// `docker save | docker exec -i` stream with its half-close and exit code.
import { Duplex, Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const engine = vi.hoisted(() => ({ connect: (): Promise<unknown> => Promise.reject(new Error('no engine')), connects: 0 }));
vi.mock('testcontainers', async (importOriginal) => ({
  ...(await importOriginal<typeof import('testcontainers')>()),
  getContainerRuntimeClient: () => {
    engine.connects++;
    return engine.connect();
  },
}));

type Engine = typeof import('../../../src/clusters/kind/engine.ts');
let docker: Engine;

beforeEach(async () => {
  // A fresh module each time: the cached client is module state.
  vi.resetModules();
  engine.connects = 0;
  docker = await import('../../../src/clusters/kind/engine.ts');
});

/** A testcontainers client whose dockerode is the given fake. */
function clientWith(dockerode: Record<string, unknown>) {
  return {
    info: { containerRuntime: { indexServerAddress: 'https://index.docker.io/v1/' } },
    container: { dockerode: { modem: { socketPath: '/var/run/docker.sock' }, ...dockerode } },
  };
}

function serve(dockerode: Record<string, unknown>): void {
  engine.connect = async () => clientWith(dockerode);
}

/** One frame of Docker's multiplexed stream: 1 stdout, 2 stderr. */
function frame(stream: 1 | 2, text: string): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(Buffer.byteLength(text), 4);
  return Buffer.concat([header, Buffer.from(text)]);
}

describe('connecting to the engine', () => {
  it('says no engine, without throwing, when none answers; and finds one started later in the same process', async () => {
    engine.connect = () => Promise.reject(new Error('Could not find a working container runtime strategy'));
    expect(await docker.dockerUsable()).toBe(false);
    expect(await docker.dockerImagePresent('shakedown/agent:1')).toBe(false);
    expect(await docker.networkExists('shakedown-x')).toBe(false);
    expect(await docker.engineVersion()).toBeUndefined();
    serve({ info: async () => ({ ServerVersion: '25.0.3', DefaultRuntime: 'runc' }) });
    expect(await docker.dockerUsable()).toBe(true);
    expect(await docker.engineVersion()).toBe('25.0.3 (runc runtime)');
  });

  it('connects once and keeps the client', async () => {
    serve({ info: async () => ({}) });
    await Promise.all([docker.runtimeClient(), docker.runtimeClient()]);
    await docker.dockerUsable();
    expect(engine.connects).toBe(1);
  });

  it('counts an engine that never answers as none, after the bound', async () => {
    // The bound is an AbortSignal.timeout, which fake timers do not drive: fire it by hand.
    const deadline = new AbortController();
    const timeout = vi.spyOn(AbortSignal, 'timeout').mockReturnValue(deadline.signal);
    try {
      engine.connect = () => new Promise(() => {});
      const usable = docker.dockerUsable();
      expect(timeout).toHaveBeenCalledWith(15_000);
      deadline.abort(new Error('timed out'));
      expect(await usable).toBe(false);
    } finally {
      timeout.mockRestore();
    }
  });

  it('keeps to DOCKER_HOST as the docker CLI does, where testcontainers would fall back to /var/run/docker.sock', () => {
    expect(docker.usesDockerHost({ socketPath: '/var/run/docker.sock' }, 'unix:///var/run/docker.sock')).toBe(true);
    expect(docker.usesDockerHost({ socketPath: '/var/run/docker.sock' }, 'unix:///nonexistent/docker.sock')).toBe(false);
    expect(docker.usesDockerHost({ host: '10.0.0.5' }, 'tcp://10.0.0.5:2375')).toBe(true);
    expect(docker.usesDockerHost({ socketPath: '/var/run/docker.sock' }, 'tcp://10.0.0.5:2375')).toBe(false);
  });

  it('refuses the fallback engine when DOCKER_HOST names another', async () => {
    serve({ info: async () => ({}) });
    vi.stubEnv('DOCKER_HOST', 'unix:///nonexistent/docker.sock');
    try {
      expect(await docker.dockerUsable()).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("the engine's answers", () => {
  it("words errors as the engine did, without dockerode's status prefix", () => {
    expect(docker.engineReason(new Error('(HTTP code 404) no such container - No such container: kind-worker '))).toBe('No such container: kind-worker');
    expect(docker.engineReason(new Error('connect ENOENT /var/run/docker.sock'))).toBe('connect ENOENT /var/run/docker.sock');
  });

  it('lists containers by label, all states, names without the leading slash', async () => {
    const listContainers = vi.fn(async () => [{ Names: ['/shk-control-plane'] }, { Names: ['/shk-worker'] }]);
    serve({ listContainers });
    expect(await docker.containersLabelled('io.x-k8s.kind.cluster', 'shk')).toEqual(['shk-control-plane', 'shk-worker']);
    expect(listContainers).toHaveBeenCalledWith({ all: true, filters: { label: ['io.x-k8s.kind.cluster=shk'] } });
  });

  it("reads subnets from every network's IPAM config", async () => {
    serve({
      listNetworks: async () => [
        { Name: 'none', IPAM: { Config: [] } },
        { Name: 'bridge', IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } },
        { Name: 'kind', IPAM: { Config: [{ Subnet: 'fc00:f853:ccd:e793::/64' }, { Subnet: '172.18.0.0/16' }] } },
        { Name: 'odd' },
      ],
    });
    expect(await docker.subnetsInUse()).toEqual(new Set(['172.17.0.0/16', 'fc00:f853:ccd:e793::/64', '172.18.0.0/16']));
  });

  it('tells a missing network from a failing engine', async () => {
    const missing = Object.assign(new Error('(HTTP code 404) no such network - network shakedown-x not found '), { statusCode: 404 });
    const broken = Object.assign(new Error('(HTTP code 500) server error - boom '), { statusCode: 500 });
    serve({ getNetwork: (name: string) => ({ inspect: async () => Promise.reject(name === 'shakedown-x' ? missing : broken), remove: async () => Promise.reject(name === 'shakedown-x' ? missing : broken) }) });
    expect(await docker.networkSubnet('shakedown-x')).toBeUndefined();
    await expect(docker.networkSubnet('other')).rejects.toThrow('docker network inspect other: boom');
    await expect(docker.removeNetwork('shakedown-x')).resolves.toBeUndefined();
    await expect(docker.removeNetwork('other')).rejects.toThrow('docker network rm other: boom');
  });

  it('takes the first address in network-name order, skipping networks without one', () => {
    expect(docker.firstAddress({ kind: { IPAddress: '172.18.0.3' }, bridge: { IPAddress: '' }, 'shakedown-a': { IPAddress: '172.30.7.2' } })).toBe('172.18.0.3');
    expect(docker.firstAddress({})).toBeUndefined();
  });

  it('finds a failed pull in its progress, however the lines are cut into chunks', async () => {
    const lines = ['{"status":"Pulling from kindest/node"}\n{"status":"Downloading","progress', '"}\n{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n'];
    expect(await docker.pullFailure(Readable.from(lines))).toBe('manifest unknown');
    expect(await docker.pullFailure(Readable.from(['{"status":"Digest: sha256:abc"}\n{"status":"Status: Downloaded newer image"}']))).toBeUndefined();
  });

  it('fails a pull the engine answered 200 to but could not finish, and bounds it with the caller signal and a timeout', async () => {
    const pull = vi.fn(async (_image: string, _options: { abortSignal: AbortSignal }) => Readable.from(['{"status":"Pulling fs layer"}\n{"error":"unexpected EOF"}\n']));
    serve({ pull });
    const caller = new AbortController();
    await expect(docker.pullImage('kindest/node:v1.35.0', { signal: caller.signal, timeoutMs: 300_000 })).rejects.toThrow('unexpected EOF');
    const { abortSignal } = pull.mock.calls[0]![1];
    expect(abortSignal.aborted).toBe(false);
    caller.abort();
    expect(abortSignal.aborted).toBe(true);
  });
});

describe('streaming into a command (docker save | docker exec -i)', () => {
  /** A hijacked connection: what is written is the command's stdin; once we half-close it, the command answers and the engine closes. */
  function connection(answer: (stdin: string) => Buffer) {
    const stdin: Buffer[] = [];
    const duplex: Duplex = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        stdin.push(chunk);
        done();
      },
      final(done) {
        duplex.push(answer(Buffer.concat(stdin).toString()));
        duplex.push(null);
        done();
      },
    });
    return duplex;
  }

  function serveExec(duplex: Duplex, exitCode: number) {
    const created: unknown[] = [];
    const started: unknown[] = [];
    const exec = {
      start: async (options: unknown) => (started.push(options), duplex),
      inspect: async () => ({ Running: false, ExitCode: exitCode }),
    };
    serve({ getContainer: () => ({ exec: async (options: unknown) => (created.push(options), exec) }) });
    return { created, started };
  }

  it('streams the whole input, half-closes, and returns the output and exit code', async () => {
    const duplex = connection((stdin) => Buffer.concat([frame(1, `unpacking ${stdin.length} bytes...done\n`), frame(2, 'a warning\n')]));
    const { created, started } = serveExec(duplex, 0);
    const out = await docker.execWithInput('shk-worker', ['ctr', '-n', 'k8s.io', 'images', 'import', '--digests', '-'], Readable.from([Buffer.alloc(1000), Buffer.alloc(24)]));
    expect(out).toEqual({ exitCode: 0, stdout: 'unpacking 1024 bytes...done\n', stderr: 'a warning\n' });
    expect(created).toEqual([{ Cmd: ['ctr', '-n', 'k8s.io', 'images', 'import', '--digests', '-'], AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false }]);
    expect(started).toEqual([{ hijack: true, stdin: true, Detach: false, Tty: false }]);
  });

  it("reports the command's own failure", async () => {
    serveExec(
      connection(() => frame(2, 'ctr: unrecognized image format\n')),
      1,
    );
    expect(await docker.execWithInput('shk-worker', ['ctr'], Readable.from(['not a tar']))).toEqual({ exitCode: 1, stdout: '', stderr: 'ctr: unrecognized image format\n' });
  });

  it('a command that stops reading early fails the import with its own words, not EPIPE', async () => {
    const duplex: Duplex = new Duplex({
      read() {},
      write(_chunk, _encoding, done) {
        duplex.push(frame(2, 'ctr: content digest not found\n'));
        duplex.push(null);
        done(new Error('write EPIPE'));
      },
    });
    serveExec(duplex, 1);
    const out = await docker.execWithInput('shk-worker', ['ctr'], Readable.from(['a', 'b', 'c']));
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe('ctr: content digest not found\n');
  });

  it('closes the input when the command cannot be started', async () => {
    const missing = Object.assign(new Error('(HTTP code 404) no such container - No such container: gone '), { statusCode: 404 });
    serve({ getContainer: () => ({ exec: async () => Promise.reject(missing) }) });
    const input = Readable.from(['x']);
    const error = await docker.execWithInput('gone', ['ctr'], input).catch((e: unknown) => e);
    expect(docker.isMissingContainer(error)).toBe(true);
    expect(input.destroyed).toBe(true);
  });

  it('splits multiplexed output into stdout and stderr', () => {
    const raw = Buffer.concat([frame(1, 'one '), frame(2, 'err'), frame(1, 'two')]);
    expect(docker.demux(raw)).toEqual({ stdout: 'one two', stderr: 'err' });
    expect(docker.demux(Buffer.alloc(0))).toEqual({ stdout: '', stderr: '' });
  });
});

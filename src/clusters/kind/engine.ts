// The one way into the local Docker engine: testcontainers' container runtime
// client, which speaks the Docker API over the engine's socket. No docker CLI,
// no parsing of its output. What the typed client lacks goes through its
// dockerode handle.
import type { Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getContainerRuntimeClient, ImageName, type ContainerRuntimeClient } from 'testcontainers';
// Not re-exported at the package root; `docker pull` reads the same ~/.docker/config.json.
import { getAuthConfig } from 'testcontainers/build/container-runtime/auth/get-auth-config.js';
import { abortable, sleep } from '../../core/abort.ts';
import { InfraError } from '../../errors.ts';

// No Ryuk sidecar: its image cannot be pulled without a registry, and
// shakedown never asks testcontainers to start containers anyway. No host
// lookup either: shakedown maps no ports, and inside a container that lookup
// may start a throwaway alpine container to find the gateway.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

export type Dockerode = ContainerRuntimeClient['container']['dockerode'];
type Exec = Awaited<ReturnType<ReturnType<Dockerode['getContainer']>['exec']>>;
export type NetworkInspect = Awaited<ReturnType<Dockerode['listNetworks']>>[number];
export type NetworkCreateOptions = Parameters<Dockerode['createNetwork']>[0];
type ContainerNetworks = Awaited<ReturnType<ReturnType<Dockerode['getContainer']>['inspect']>>['NetworkSettings']['Networks'];

export interface ExecOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** As long as `docker info` was given: an engine that has not answered by then is not usable. */
const ENGINE_TIMEOUT_MS = 15_000;

let client: Promise<ContainerRuntimeClient> | undefined;

/** The engine's client, made once; a failed attempt is forgotten, so a later call finds an engine started since. */
export function runtimeClient(): Promise<ContainerRuntimeClient> {
  if (client) return client;
  const attempt = abortable(connect(), AbortSignal.timeout(ENGINE_TIMEOUT_MS));
  client = attempt;
  attempt.catch(() => {
    if (client === attempt) client = undefined;
  });
  return attempt;
}

async function connect(): Promise<ContainerRuntimeClient> {
  const found = await getContainerRuntimeClient();
  const dockerHost = process.env.DOCKER_HOST;
  // testcontainers falls back to /var/run/docker.sock when DOCKER_HOST does not answer; the docker CLI never does.
  if (dockerHost && !usesDockerHost(found.container.dockerode.modem as ModemTarget, dockerHost)) throw new Error(`no Docker engine answers at DOCKER_HOST=${dockerHost}`);
  return found;
}

/** Where docker-modem connects: it keeps this on the instance, though its types do not say so. */
export interface ModemTarget {
  socketPath?: string;
  host?: string;
}

/** Whether a dockerode connection goes where DOCKER_HOST says. */
export function usesDockerHost(modem: ModemTarget, dockerHost: string): boolean {
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:' || url.protocol === 'npipe:') return !modem.host && modem.socketPath === url.pathname;
  return modem.host === url.hostname;
}

export async function dockerode(): Promise<Dockerode> {
  return (await runtimeClient()).container.dockerode;
}

/** The engine's own words, without dockerode's "(HTTP code 404) no such image - " in front. */
export function engineReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | undefined)?.statusCode;
}

function engineError(what: string, error: unknown): InfraError {
  return new InfraError(`${what}: ${engineReason(error)}`, { cause: error });
}

/** `docker info`, bounded: an engine that has not answered in 15 s is as good as none. */
function engineInfo() {
  return abortable(
    dockerode().then((docker) => docker.info()),
    AbortSignal.timeout(ENGINE_TIMEOUT_MS),
  );
}

/** Whether an engine answers; false on any failure, never throws. */
export async function dockerUsable(): Promise<boolean> {
  return engineInfo().then(
    () => true,
    () => false,
  );
}

/** `25.0.3 (runc runtime)`: the engine's version and default runtime; undefined when it does not answer. */
export async function engineVersion(): Promise<string | undefined> {
  return engineInfo().then(
    (info) => `${info.ServerVersion} (${info.DefaultRuntime} runtime)`,
    () => undefined,
  );
}

/** Whether the local engine holds the image (by tag or digest); never pulls. False when no engine answers. */
export async function dockerImagePresent(image: string): Promise<boolean> {
  try {
    await (await dockerode()).getImage(image).inspect();
    return true;
  } catch {
    return false;
  }
}

/** `docker pull`, bounded by the signal and a timeout; throws with the engine's reason. */
export async function pullImage(image: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<void> {
  const runtime = await runtimeClient();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const abortSignal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const authconfig = await getAuthConfig(ImageName.fromString(image).registry ?? runtime.info.containerRuntime.indexServerAddress).catch(() => undefined);
  const progress = await runtime.container.dockerode.pull(image, { abortSignal, ...(authconfig && { authconfig }) });
  const failure = await pullFailure(progress);
  if (failure) throw new Error(failure);
}

/** Reads a pull's progress to its end: the engine reports a failed pull in an `error` line, not by its status code. */
export async function pullFailure(progress: AsyncIterable<Buffer | string>): Promise<string | undefined> {
  let rest = '';
  let failure: string | undefined;
  for await (const chunk of progress) {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    failure ??= lines.map(errorOfLine).find(Boolean);
  }
  return failure ?? errorOfLine(rest);
}

function errorOfLine(line: string): string | undefined {
  try {
    const event = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
    return event.errorDetail?.message || event.error || undefined;
  } catch {
    return undefined;
  }
}

// Networks.

/** The network's first subnet ('' when it has none); undefined when there is no such network. */
export async function networkSubnet(name: string): Promise<string | undefined> {
  try {
    return subnetsOf(await (await dockerode()).getNetwork(name).inspect())[0] ?? '';
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw engineError(`docker network inspect ${name}`, error);
  }
}

/** Whether the network exists; false when no engine answers. */
export async function networkExists(name: string): Promise<boolean> {
  return (await networkSubnet(name).catch(() => undefined)) !== undefined;
}

export function subnetsOf(network: Pick<NetworkInspect, 'IPAM'>): string[] {
  return (network.IPAM?.Config ?? []).map((config) => config.Subnet).filter((subnet): subnet is string => Boolean(subnet));
}

/** Every subnet a network of this engine holds. */
export async function subnetsInUse(): Promise<Set<string>> {
  try {
    return new Set((await (await dockerode()).listNetworks()).flatMap(subnetsOf));
  } catch (error) {
    throw engineError('docker network ls', error);
  }
}

export async function createNetwork(options: NetworkCreateOptions): Promise<void> {
  try {
    await (await dockerode()).createNetwork(options);
  } catch (error) {
    throw engineError(`docker network create ${options.Name}`, error);
  }
}

/** Idempotent: a network that is not there is fine. */
export async function removeNetwork(name: string): Promise<void> {
  try {
    await (await dockerode()).getNetwork(name).remove();
  } catch (error) {
    if (statusOf(error) !== 404) throw engineError(`docker network rm ${name}`, error);
  }
}

// Containers.

/** Names of the containers, running or not, labelled label=value (`docker ps -a --filter label=…`). */
export async function containersLabelled(label: string, value: string): Promise<string[]> {
  const found = await (await dockerode()).listContainers({ all: true, filters: { label: [`${label}=${value}`] } });
  return found.map((container) => (container.Names[0] ?? '').replace(/^\//, '')).filter(Boolean);
}

/** The names of the networks a container is on, sorted as `docker inspect`'s templates range over them. */
export async function containerNetworks(container: string): Promise<string[]> {
  return Object.keys(await networksOf(container)).sort();
}

/** The container's first address, networks in name order: what `{{range .NetworkSettings.Networks}}{{.IPAddress}}` printed first. */
export async function containerAddress(container: string): Promise<string | undefined> {
  return firstAddress(await networksOf(container));
}

export function firstAddress(networks: Record<string, { IPAddress?: string }>): string | undefined {
  return Object.keys(networks)
    .sort()
    .map((name) => networks[name]!.IPAddress)
    .find(Boolean);
}

async function networksOf(container: string): Promise<ContainerNetworks> {
  try {
    return (await (await dockerode()).getContainer(container).inspect()).NetworkSettings.Networks ?? {};
  } catch (error) {
    throw engineError(`docker inspect ${container}`, error);
  }
}

/** Whether an engine error says there is no such container. */
export function isMissingContainer(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** `docker exec CONTAINER COMMAND`; rejects with the engine's error (see isMissingContainer) when it cannot run it. */
export async function execIn(container: string, command: string[]): Promise<ExecOutput> {
  const runtime = await runtimeClient();
  const { exitCode, stdout, stderr } = await runtime.container.exec(runtime.container.getById(container), command);
  return { exitCode, stdout, stderr };
}

/** `docker save IMAGE`: the image as a tar stream. */
export async function imageArchive(image: string): Promise<Readable> {
  return (await (await dockerode()).getImage(image).get()) as Readable;
}

/**
 * `… | docker exec -i CONTAINER COMMAND`: streams the input into the command's
 * stdin over a hijacked connection, half-closes it so the command reads EOF,
 * and returns once the command has ended.
 */
export async function execWithInput(container: string, command: string[], input: Readable): Promise<ExecOutput> {
  const { exec, connection } = await startWithStdin(container, command).catch((error: unknown) => {
    input.destroy(); // nothing will read it
    throw error;
  });
  try {
    const [sendFailure, raw] = await Promise.all([
      pipeline(input, connection).then(
        () => undefined,
        (error: unknown) => error,
      ),
      received(connection),
    ]);
    const { stdout, stderr } = demux(raw);
    const exitCode = await exitCodeOf(exec);
    // A command that stopped reading (it failed) breaks the pipe: its own words say more than EPIPE.
    if (sendFailure) return { exitCode: exitCode || -1, stdout, stderr: stderr || `sending input failed: ${engineReason(sendFailure)}` };
    return { exitCode, stdout, stderr };
  } finally {
    connection.destroy();
  }
}

async function startWithStdin(container: string, command: string[]): Promise<{ exec: Exec; connection: Duplex }> {
  const exec = await (await dockerode()).getContainer(container).exec({ Cmd: command, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false });
  // hijack: the raw socket, whose write side can be closed on its own (dockerode's HTTP duplex cannot).
  const connection = (await exec.start({ hijack: true, stdin: true, Detach: false, Tty: false })) as Duplex;
  return { exec, connection };
}

/** Everything the connection carries until the engine closes it (the command ended). */
function received(connection: Duplex): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks));
    connection.on('data', (chunk: Buffer) => chunks.push(chunk));
    connection.once('end', done);
    connection.once('close', done);
    // A broken connection ends the output; the pipeline reports why.
    connection.on('error', () => {});
  });
}

/** Splits Docker's multiplexed output (8-byte frame header: stream 1 or 2, three zero bytes, big-endian length). */
export function demux(raw: Buffer): { stdout: string; stderr: string } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length; ) {
    const length = raw.readUInt32BE(at + 4);
    (raw[at] === 2 ? stderr : stdout).push(raw.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

/** The exec's exit code; -1 if the engine still counts it running after a few seconds. */
async function exitCodeOf(exec: Exec, attempts = 25): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const state = await exec.inspect();
    if (!state.Running) return state.ExitCode ?? -1;
    await sleep(200);
  }
  return -1;
}

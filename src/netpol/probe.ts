// Measures the actual reachability matrix: for every ordered pair of pods and
// every port, the source pod runs `/agent connect` against the destination's
// IP. A probe that cannot run (exec failed, pod gone, node down) is
// `unknown`, never `denied`: only a connect the agent itself reports as
// failed counts as blocked.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import { abortable } from '../core/abort.ts';
import { forEachLimited } from '../core/pool.ts';
import { cellKey } from './model.ts';

export type ProbeResult = 'allowed' | 'denied' | 'unknown';

/** A pod as the prober sees it: where to exec, where to connect. */
export interface ProbeTarget {
  namespace: string;
  name: string;
  /** Container that has /agent in it; none = this pod can be probed but cannot probe. */
  container?: string;
  /** Why there is no such container (e.g. the probe container failed to start); default "no container with /agent". */
  cannotProbe?: string;
  ip?: string;
  /** Node the pod runs on: a node where exec fails is suspect as a destination too. */
  node?: string;
  /** TCP ports the pod declares: only those have a listener to tell "allowed" from "nothing listens". */
  ports: number[];
  /** Why this pod cannot be probed (no IP, not ready, node down); set = every cell touching it is unknown. */
  unusable?: string;
}

export interface ProbeCell {
  from: string;
  to: string;
  port: number;
  result: ProbeResult;
  /** What the agent or the exec said. */
  detail?: string;
}

export interface ExecOutcome {
  /** undefined: the command never reported an exit status (exec failed). */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs a command in a pod's container; rejects or times out when the exec itself fails. */
export type PodExec = (target: ProbeTarget, command: string[], signal: AbortSignal) => Promise<ExecOutcome>;

/** One pass over the matrix. */
export interface ProbeRun {
  cells: ProbeCell[];
  /**
   * Nodes where no exec got an answer at all (timeouts, the connection
   * failing) while at least one was tried: the node is gone for the prober,
   * whatever the API still says. A single exec answering means it is not.
   */
  unreachableNodes: Set<string>;
  /** Nodes where any exec failed (a source there could not run its probe): denials into their pods became unknown. */
  failingNodes: Set<string>;
}

export interface ProbeOptions {
  ports: number[];
  concurrency?: number;
  /** The whole probe (exec round trip included); the agent's own connect timeout is 1 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Probe only these cells (`from|to|port` keys, see cellKey); default: the whole matrix. */
  only?: Set<string>;
}

const key = (t: Pick<ProbeTarget, 'namespace' | 'name'>) => `${t.namespace}/${t.name}`;

/** The agent's verdict: `ok` (exit 0) is allowed, `fail: ...` (exit 1) denied, anything else unknown. */
export function classify(out: ExecOutcome): { result: ProbeResult; detail: string } {
  const text = out.stdout.trim();
  if (out.exitCode === 0 && /^ok\b/m.test(text)) return { result: 'allowed', detail: 'ok' };
  if (out.exitCode === 1 && /^fail:/m.test(text)) return { result: 'denied', detail: text.split('\n').find((l) => l.startsWith('fail:'))! };
  const said = (out.stderr.trim() || text).split('\n').slice(-2).join(' ');
  return { result: 'unknown', detail: `probe did not run (exit ${out.exitCode ?? 'none'})${said ? `: ${said}` : ''}` };
}

/**
 * Probes every (from, to, port) with from != to. Self cells are not probed:
 * loopback follows no policy (the engine's default). Cells whose destination
 * declares no such port are left out: a refused connection there says
 * nothing about policy.
 */
export async function probeMatrix(targets: ProbeTarget[], exec: PodExec, options: ProbeOptions): Promise<ProbeRun> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cells: ProbeCell[] = [];
  const jobs: Array<{ from: ProbeTarget; to: ProbeTarget; port: number }> = [];
  for (const from of targets) {
    for (const to of targets) {
      if (from === to) continue;
      for (const port of options.ports) {
        if (!to.ports.includes(port)) continue;
        if (options.only && !options.only.has(cellKey({ from: key(from), to: key(to), port }))) continue;
        const unusable = from.unusable ? `${key(from)}: ${from.unusable}` : !from.container ? `${key(from)}: ${from.cannotProbe ?? 'no container with /agent'}` : to.unusable ? `${key(to)}: ${to.unusable}` : !to.ip ? `${key(to)}: no IP` : undefined;
        if (unusable) cells.push({ from: key(from), to: key(to), port, result: 'unknown', detail: unusable });
        else jobs.push({ from, to, port });
      }
    }
  }
  // A source whose exec fails once (pod gone, kubelet unreachable) fails for
  // every cell: its first probe goes alone, and the others learn from it
  // instead of each paying the timeout.
  const broken = new Map<string, string>();
  // Per node: did any exec there get an answer (an exit status or an API refusal), did any get none.
  const answered = new Set<string>();
  const silent = new Set<string>();
  const first = new Map<string, Promise<unknown>>();
  const run = async (job: (typeof jobs)[number]): Promise<ProbeCell> => {
    const cell = { from: key(job.from), to: key(job.to), port: job.port };
    const pending = first.get(cell.from);
    if (pending) await pending.catch(() => {});
    const probe = probeOne(cell, job);
    if (!pending) first.set(cell.from, probe);
    return probe;
  };
  const probeOne = async (cell: Omit<ProbeCell, 'result'>, job: (typeof jobs)[number]): Promise<ProbeCell> => {
    const known = broken.get(cell.from);
    if (known) return { ...cell, result: 'unknown', detail: known };
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const node = job.from.node;
    try {
      const out = await abortable(exec(job.from, ['/agent', 'connect', '--timeout', '1s', `${job.to.ip}:${job.port}`], signal), signal);
      if (node) answered.add(node);
      const verdict = classify(out);
      if (verdict.result === 'unknown' && out.exitCode === undefined) broken.set(cell.from, verdict.detail);
      return { ...cell, ...verdict };
    } catch (cause) {
      const timedOut = signal.aborted && !options.signal?.aborted;
      const message = timedOut ? `no answer within ${timeoutMs} ms` : errorText(cause);
      if (node && !options.signal?.aborted) (timedOut || !refusedByApi(message) ? silent : answered).add(node);
      const detail = `exec in ${cell.from} failed: ${message}`;
      broken.set(cell.from, detail);
      return { ...cell, result: 'unknown', detail };
    }
  };
  // Round-robin over sources, so the first wave of probes finds every unreachable source at once.
  const rank = new Map<ProbeTarget, number>();
  const order = jobs.map((job) => {
    const n = rank.get(job.from) ?? 0;
    rank.set(job.from, n + 1);
    return { job, n };
  });
  jobs.splice(0, jobs.length, ...order.sort((a, b) => a.n - b.n).map((o) => o.job));
  await forEachLimited(jobs, concurrency, async (job) => {
    cells.push(await run(job));
  });
  const suspect = suspectNodes(targets, broken);
  return { cells: unreachableNodesUnknown(cells, targets, suspect), unreachableNodes: new Set([...silent].filter((n) => !answered.has(n))), failingNodes: new Set(suspect.keys()) };
}

/** The websocket library's words for an upgrade the API server (or kubelet) refused with a 4xx: that is an answer. */
function refusedByApi(message: string): boolean {
  return /Unexpected server response: 4\d\d/.test(message);
}

/** ws rejects with an ErrorEvent, not an Error: its message is on the event. */
function errorText(cause: unknown): string {
  return (cause as { message?: string }).message ?? String(cause);
}

/**
 * A source whose exec got no answer says its node is unreachable (stopped,
 * cut off) before the API marks it NotReady (40 s or more). A connection to
 * a pod on that node then fails for that reason, not for policy: such
 * denied cells become unknown. Only denials are touched, so an opening is
 * never hidden.
 */
function unreachableNodesUnknown(cells: ProbeCell[], targets: ProbeTarget[], suspect: Map<string, string>): ProbeCell[] {
  if (suspect.size === 0) return cells;
  const byKey = new Map(targets.map((t) => [key(t), t]));
  return cells.map((c) => {
    const node = byKey.get(c.to)?.node;
    if (c.result !== 'denied' || !node || !suspect.has(node)) return c;
    return { ...c, result: 'unknown', detail: `${c.to}: node ${node} looks unreachable (exec into ${suspect.get(node)} there failed)` };
  });
}

/** Node -> the first source there whose exec failed. */
function suspectNodes(targets: ProbeTarget[], broken: Map<string, string>): Map<string, string> {
  const byKey = new Map(targets.map((t) => [key(t), t]));
  const suspect = new Map<string, string>();
  for (const from of broken.keys()) {
    const node = byKey.get(from)?.node;
    if (node && !suspect.has(node)) suspect.set(node, from);
  }
  return suspect;
}

/** Exit code out of the status the exec API sends last (NonZeroExitCode carries it as a cause). */
export function exitCodeOf(status: V1Status | undefined): number | undefined {
  if (!status) return undefined;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message !== undefined && /^\d+$/.test(cause.message) ? Number(cause.message) : undefined;
}

/** PodExec over the API's exec websocket: no kubectl process per probe. */
export function clientExec(config: KubeConfig): PodExec {
  const api = new Exec(config);
  return async (target, command, signal) => {
    let stdout = '';
    let stderr = '';
    let status: V1Status | undefined;
    const sink = (append: (s: string) => void) =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          append(chunk.toString());
          done();
        },
      });
    const ws = await api.exec(
      target.namespace,
      target.name,
      target.container ?? '',
      command,
      sink((s) => (stdout += s)),
      sink((s) => (stderr += s)),
      null,
      false,
      (s) => {
        status = s;
      },
    );
    return new Promise<ExecOutcome>((resolve, reject) => {
      const onAbort = () => {
        ws.close();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('error', (error: Error) => reject(error));
      ws.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        // A status that is neither success nor an exit code is the exec failing (e.g. container not found).
        const exitCode = exitCodeOf(status);
        if (exitCode === undefined && status) stderr += status.message ?? '';
        resolve({ exitCode, stdout, stderr });
      });
    });
  };
}

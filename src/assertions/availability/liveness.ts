// Containers the kubelet restarted in a window because their liveness probe
// failed. The kubelet probes and restarts on its own, API or not, and says so
// in Events on the pod: Killing ("Container web failed liveness probe, will
// be restarted") and Unhealthy ("Liveness probe failed: <what it got>"). It
// stamps them when it decides and posts them when the API takes them, so a
// window in which the control plane was out of reach learns of its restarts
// only after it: the read then waits for them a while.
import type { CoreV1Event, V1Container, V1Probe } from '@kubernetes/client-node';
import { sleep } from '../../core/abort.ts';
import type { Impact } from '../../core/disruptions.ts';
import type { Explanation } from '../../core/result.ts';
import { durationText } from '../../scenario/duration.ts';
import { deploymentRef } from '../shared/explain-text.ts';
import { eventWithin, lastProbeFailures } from '../shared/events.ts';
import { deploymentsOf, type WindowFacts } from './explain.ts';

const KILLED = /^Container (\S+) failed liveness probe, will be restarted/;
/** One read of the events waits no longer than this. */
const READ_TIMEOUT_MS = 5_000;
/** After a window with the API out of reach, how long the kubelets have to post what they did in it. */
export const BLIND_WAIT_MS = 45_000;

/** The window's fault kept the API out of reach: the kubelets could not report in it. */
export const apiOutOfReach = (impacts: Impact[]) => impacts.some((i) => i.disruption.kind === 'control-plane-unreachable');

export interface LivenessKill {
  pod: string;
  container: string;
  /** Restarts in the window (the kubelet folds repeats into one Event with a count). */
  count: number;
  /** The probe's last failure before it, as the kubelet worded it. */
  failure?: string;
}

/** The liveness restarts the events record in the window, with each pod's last probe failure. */
export function livenessKills(events: CoreV1Event[], window: { start: number; end: number }): LivenessKill[] {
  const failures = lastProbeFailures(events, 'Liveness', window);
  const kills: LivenessKill[] = [];
  for (const e of events) {
    const container = e.reason === 'Killing' ? KILLED.exec(e.message ?? '')?.[1] : undefined;
    if (!container || e.involvedObject.kind !== 'Pod' || !e.involvedObject.name || !eventWithin(e, window)) continue;
    const failure = failures.get(e.involvedObject.name);
    kills.push({ pod: e.involvedObject.name, container, count: Math.max(1, e.count ?? 1), ...(failure && { failure }) });
  }
  return kills;
}

/** What a probe runs, as a person reads it in a manifest. */
export function probeText(probe: V1Probe | undefined): string {
  if (probe?.exec?.command) return `exec \`${probe.exec.command.join(' ')}\``;
  if (probe?.httpGet) return `httpGet ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}`;
  if (probe?.tcpSocket) return `tcpSocket ${probe.tcpSocket.host ? `${probe.tcpSocket.host}:` : 'port '}${probe.tcpSocket.port}`;
  if (probe?.grpc) return `grpc on port ${probe.grpc.port}`;
  return 'its liveness probe';
}

const TIMED_OUT = /timeout|timed out|deadline exceeded/i;

/** Whether the probe asks something other than the container's own server: a command, or another host. */
const reachesOut = (probe: V1Probe | undefined) => Boolean(probe?.exec || probe?.httpGet?.host || probe?.tcpSocket?.host);

function fixFor(container: V1Container, ref: string, failure: string | undefined, blind: boolean): string {
  const probe = container.livenessProbe;
  const where = `the livenessProbe of container ${container.name} in ${ref}`;
  if (!blind && !reachesOut(probe) && failure && TIMED_OUT.test(failure)) {
    return `raise timeoutSeconds (now ${probe?.timeoutSeconds ?? 1}s) and failureThreshold (now ${probe?.failureThreshold ?? 3}) of ${where}, so a slow answer under load is not taken for a hung process`;
  }
  return `make ${where} (now ${probeText(probe)}) check only that the process itself answers: a liveness probe that fails when something it depends on is down restarts every replica at once and mends nothing; check dependencies in the readinessProbe instead, which takes a pod out of the Service without restarting it`;
}

/** The restarts as the window's cause, for the Deployment that had the most of them. */
export function explainRestarts(f: WindowFacts, kills: LivenessKill[]): Explanation | undefined {
  const ranked = f.deployments
    .map((deployment) => ({ deployment, kills: kills.filter((k) => deploymentsOf([k.pod], f).includes(deployment)) }))
    .filter((d) => d.kills.length)
    .sort((a, b) => b.kills.length - a.kills.length);
  const [first, ...rest] = ranked;
  if (!first) return undefined;
  const ref = deploymentRef(first.deployment, f.namespace);
  const name = first.kills[0]!.container;
  const container = first.deployment.spec?.template?.spec?.containers?.find((c) => c.name === name) ?? { name };
  const restarts = first.kills.reduce((n, k) => n + k.count, 0);
  const pods = new Set(first.kills.map((k) => k.pod)).size;
  const failure = first.kills.findLast((k) => k.failure)?.failure;
  const blind = apiOutOfReach(f.impacts);
  const others = rest.length ? ` (and ${rest.length} more: ${rest.map((r) => r.deployment.metadata?.name).join(', ')})` : '';
  const probe = container.livenessProbe;
  const cadence = probe ? `, every ${durationText((probe.periodSeconds ?? 10) * 1000)}, ${probe.failureThreshold ?? 3} failures to restart` : '';
  return {
    cause: `the kubelet restarted container ${name} of ${ref} ${restarts} ${restarts === 1 ? 'time' : 'times'} in ${pods} ${pods === 1 ? 'pod' : 'pods'} during the window${blind ? ', while the API server was out of reach,' : ''} because its liveness probe (${probeText(probe)}${cadence}) failed${failure ? `: ${failure}` : ''}; a restarting container serves nothing until it is up again${others}`,
    fix: fixFor(container, ref, failure, blind),
  };
}

/**
 * The window's liveness restarts from the namespace's Events. After a
 * window in which the API was out of reach, keeps asking until some appear
 * or `waitMs` has passed since the window ended.
 */
export async function readLivenessKills(list: (signal: AbortSignal) => Promise<CoreV1Event[]>, window: { start: number; end: number }, waitMs: number, signal: AbortSignal): Promise<LivenessKill[]> {
  for (;;) {
    const events = await list(AbortSignal.any([signal, AbortSignal.timeout(READ_TIMEOUT_MS)])).catch(() => []);
    const kills = livenessKills(events, window);
    if (kills.length || Date.now() >= window.end + waitMs || signal.aborted) return kills;
    await sleep(3_000, signal).catch(() => {});
  }
}

// Which container of a pod a probe runs in. A pod that has shakedown's agent
// (the sample stack, the probe pods) is probed from it. Any other pod gets
// the agent as an ephemeral container, which shares the pod's network
// namespace, so its egress policies are judged too. Ephemeral containers can
// never be removed or restarted: ours idles for a bounded time and exits, and
// a pod whose container ended (its time ran out, the node rebooted) gets a
// new one under the next name. Pure: decides from the pod object alone.
import type { V1ContainerStatus, V1EphemeralContainer, V1Pod } from '@kubernetes/client-node';
import { agentImage } from '../../stack/sample.ts';
import { PROBE_CONTAINER } from './probe-names.ts';

/** Ours are `shakedown-probe-1`, `-2`, ...: a new name each time one ends. */
export const PROBE_CONTAINER_PREFIX = 'shakedown-probe-';
/** How long the agent idles before it exits on its own. */
export const IDLE_SECONDS = 15 * 60;
/** A probe container this close to its end is replaced rather than used. */
export const RENEW_BEFORE_MS = 2 * 60_000;
/** One that ended sooner than this after starting failed (bad image, no idle mode): adding more would fail the same way. */
export const MIN_HEALTHY_RUN_MS = 30_000;
/** Each replacement stays in the pod's spec for good: bounded (15 min each: 6 h). */
export const MAX_PROBE_CONTAINERS = 24;
/** The agent's own image runs as root by default; these make it pass restricted Pod Security. */
const NON_ROOT_UID = 65532;

export type ExecTarget =
  /** Exec into this container now. */
  | { kind: 'exec'; container: string }
  /** Add a probe container of this name, then exec into it once it runs. */
  | { kind: 'add'; container: string }
  /** Ours is there but not running yet. */
  | { kind: 'starting'; container: string; reason?: string }
  /** This pod cannot originate probes. */
  | { kind: 'none'; why: string };

/**
 * shakedown's agent image, any version, wherever it was pushed
 * (`shakedown/agent:v0.2.0`, `registry.example/shakedown/agent@sha256:...`);
 * another project's `agent` image has no /agent to exec.
 */
export function isAgentImage(image: string | undefined, agent = agentImage()): boolean {
  if (image === undefined) return false;
  const repository = agent.split('@')[0]!.replace(/:[^/:]*$/, '');
  return image.startsWith(`${repository}:`) || image.startsWith(`${repository}@`) || image.includes(`/${repository}:`) || image.includes(`/${repository}@`);
}

/** A regular container with the agent: the probe pods' by name, a stack pod's by its image. */
export function agentContainer(pod: V1Pod): string | undefined {
  const containers = (pod.spec?.containers ?? []).filter((c) => isAgentImage(c.image));
  return (containers.find((c) => c.name === PROBE_CONTAINER) ?? containers[0])?.name;
}

/** The ephemeral container that carries the agent into a pod, as restricted Pod Security wants it. */
export function probeContainerSpec(name: string, image: string, idleSeconds = IDLE_SECONDS): V1EphemeralContainer {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/agent', 'idle', '--for', `${idleSeconds}s`],
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NON_ROOT_UID,
      runAsGroup: NON_ROOT_UID,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // The agent's usage text, should it refuse `idle`, ends up in the status.
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

const numberOf = (name: string) => (name.startsWith(PROBE_CONTAINER_PREFIX) && /^\d+$/.test(name.slice(PROBE_CONTAINER_PREFIX.length)) ? Number(name.slice(PROBE_CONTAINER_PREFIX.length)) : undefined);

/** The idle time a probe container was started with (another run may have used another). */
function idleMsOf(container: V1EphemeralContainer): number {
  const command = [...(container.command ?? []), ...(container.args ?? [])];
  const value = command[command.indexOf('--for') + 1];
  const seconds = command.includes('--for') && value && /^\d+s$/.test(value) ? Number(value.slice(0, -1)) : IDLE_SECONDS;
  return seconds * 1000;
}

const ms = (t: Date | string | undefined) => (t === undefined ? undefined : new Date(t).getTime());

/** Where a probe from this pod runs: its agent, our running probe container, or a new one. */
export function execTarget(pod: V1Pod, now: number): ExecTarget {
  const agent = agentContainer(pod);
  if (agent) return { kind: 'exec', container: agent };
  const ours = (pod.spec?.ephemeralContainers ?? []).filter((c) => numberOf(c.name) !== undefined).sort((a, b) => numberOf(a.name)! - numberOf(b.name)!);
  const latest = ours.at(-1);
  const next = () =>
    ours.length >= MAX_PROBE_CONTAINERS
      ? ({ kind: 'none', why: `already has ${ours.length} probe containers, the most shakedown adds to a pod` } as const)
      : ({ kind: 'add', container: `${PROBE_CONTAINER_PREFIX}${(latest ? numberOf(latest.name)! : 0) + 1}` } as const);
  if (!latest) return next();
  const status: V1ContainerStatus | undefined = pod.status?.ephemeralContainerStatuses?.find((s) => s.name === latest.name);
  const state = status?.state;
  if (state?.running) {
    const started = ms(state.running.startedAt) ?? now;
    return started + idleMsOf(latest) - RENEW_BEFORE_MS > now ? { kind: 'exec', container: latest.name } : next();
  }
  if (state?.terminated) {
    const { exitCode, reason, message } = state.terminated;
    const started = ms(state.terminated.startedAt);
    const finished = ms(state.terminated.finishedAt);
    const ran = started !== undefined && finished !== undefined ? finished - started : undefined;
    // Ran its time, or was cut short later on (its node rebooted): a new one will do.
    if (exitCode === 0 || (ran !== undefined && ran >= MIN_HEALTHY_RUN_MS)) return next();
    const said = message?.trim().split('\n').at(-1);
    return { kind: 'none', why: `probe container ${latest.name} exited ${exitCode}${reason ? ` (${reason})` : ''}${ran !== undefined ? ` after ${Math.round(ran / 1000)} s` : ''}${said ? `: ${said}` : ''}` };
  }
  const waiting = state?.waiting;
  // No status yet (just added) or still being created: give it time.
  if (!waiting || waiting.reason === undefined || waiting.reason === 'ContainerCreating' || waiting.reason === 'PodInitializing') {
    return { kind: 'starting', container: latest.name, ...(waiting?.reason && { reason: waiting.reason }) };
  }
  // ErrImagePull, ImagePullBackOff, ErrImageNeverPull, CreateContainerError...: it will not come up by itself soon.
  return { kind: 'none', why: `probe container ${latest.name} ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` };
}

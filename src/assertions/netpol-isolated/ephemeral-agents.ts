// Gives every pod that can be probed but has no agent an ephemeral container
// with one (pods/ephemeralcontainers), waits a bounded time for it to run,
// and says per pod where its probes exec. The decisions are execTarget()'s;
// this is the API side.
import { CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig, type V1EphemeralContainer, type V1Pod } from '@kubernetes/client-node';
import { abortableBy, apiMessage } from '../../kube/client.ts';
import type { LiveState } from '../../netpol/live.ts';
import type { ProbeTarget } from '../../netpol/probe.ts';
import type { EventBus } from '../../core/events.ts';
import { sleep } from '../../core/abort.ts';
import { execTarget, IDLE_SECONDS, probeContainerSpec, type ExecTarget } from './probe-container.ts';

/** The two calls this needs, so the unit tests can fake the API. */
export interface EphemeralApi {
  readPod(namespace: string, name: string, signal: AbortSignal): Promise<V1Pod>;
  addEphemeralContainer(namespace: string, name: string, container: V1EphemeralContainer, signal: AbortSignal): Promise<void>;
}

/** One API call may take this long: a stalled API server must not hold up the measurement. */
const CALL_TIMEOUT_MS = 10_000;

export function clientEphemeralApi(config: KubeConfig): EphemeralApi {
  const core = config.makeApiClient(CoreV1Api);
  return {
    readPod: (namespace, name, signal) => core.readNamespacedPod({ namespace, name }, abortableBy(signal)),
    // Merged by name into the list, as `kubectl debug` does: the pod's other ephemeral containers stay.
    addEphemeralContainer: async (namespace, name, container, signal) => {
      await core.patchNamespacedPodEphemeralcontainers({ namespace, name, body: { spec: { ephemeralContainers: [container] } } }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch, abortableBy(signal)));
    },
  };
}

export interface EphemeralAgentsOptions {
  image: string;
  bus: EventBus;
  /** How long one attach waits for new containers to run; those still starting are used from the next measurement. */
  startTimeoutMs?: number;
  pollMs?: number;
  now?: () => number;
}

const key = (t: Pick<ProbeTarget, 'namespace' | 'name'>) => `${t.namespace}/${t.name}`;
const status = (e: unknown) => (e as { code?: number }).code;

export class EphemeralAgents {
  readonly #api: EphemeralApi;
  readonly #options: Required<Omit<EphemeralAgentsOptions, 'bus' | 'image'>> & Pick<EphemeralAgentsOptions, 'bus' | 'image'>;
  /** Pods (by uid) the API refused a probe container, and why: not asked again. */
  readonly #refused = new Map<string, string>();
  readonly #warned = new Set<string>();
  #added = 0;

  constructor(api: EphemeralApi, options: EphemeralAgentsOptions) {
    this.#api = api;
    this.#options = { startTimeoutMs: 20_000, pollMs: 500, now: Date.now, ...options };
  }

  /** The targets, each usable pod with the container its probes exec in, or why it cannot probe. */
  async attach(live: LiveState, signal: AbortSignal): Promise<ProbeTarget[]> {
    const { now, bus } = this.#options;
    const plans = new Map<string, ExecTarget>();
    for (const target of live.targets) {
      // Pods that have the agent keep it; pods that cannot be probed at all get nothing.
      if (target.container || target.unusable) continue;
      const pod = live.objects.get(key(target));
      if (!pod) continue;
      const refused = this.#refused.get(pod.metadata?.uid ?? '');
      plans.set(key(target), refused ? { kind: 'none', why: refused } : execTarget(pod, now()));
    }
    const adds = [...plans].filter((entry): entry is [string, Extract<ExecTarget, { kind: 'add' }>] => entry[1].kind === 'add');
    for (const [podKey, plan] of adds) {
      if (signal.aborted) break;
      plans.set(podKey, await this.#add(live.objects.get(podKey)!, plan.container, signal));
    }
    if (adds.length) bus.log('debug', `netpol-isolated: ${adds.length} probe container${adds.length === 1 ? '' : 's'} added (${this.#added} this run)`);
    await this.#waitForStart(live, plans, signal);
    return live.targets.map((target) => {
      const plan = plans.get(key(target));
      if (!plan) return target;
      if (plan.kind === 'exec') return { ...target, container: plan.container };
      const why = plan.kind === 'none' ? plan.why : `probe container ${plan.container} not running yet${plan.kind === 'starting' && plan.reason ? ` (${plan.reason})` : ''}`;
      return { ...target, cannotProbe: why };
    });
  }

  async #add(pod: V1Pod, container: string, signal: AbortSignal): Promise<ExecTarget> {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    try {
      await this.#api.addEphemeralContainer(namespace, name, probeContainerSpec(container, this.#options.image, IDLE_SECONDS), AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]));
      this.#added++;
      if (this.#added === 1) {
        this.#options.bus.log(
          'info',
          `netpol-isolated: probing from pods without the agent through an ephemeral container (${container} in ${namespace}/${name} first); ephemeral containers stay in the pod spec, the agent in them exits after ${IDLE_SECONDS / 60} min`,
        );
      }
      return { kind: 'starting', container };
    } catch (e) {
      const why = `could not add probe container ${container}: ${apiMessage(e)}`;
      const code = status(e);
      // A refusal (forbidden, invalid, Pod Security) stands for this pod; conflicts, throttling and server errors may pass.
      if (code !== undefined && code >= 400 && code < 500 && code !== 409 && code !== 429) this.#refused.set(pod.metadata?.uid ?? '', why);
      if (!this.#warned.has(apiMessage(e))) {
        this.#warned.add(apiMessage(e));
        this.#options.bus.log('warn', `netpol-isolated: ${namespace}/${name}: ${why}`);
      }
      return { kind: 'none', why };
    }
  }

  /** Re-reads the pods whose container is starting until each runs, fails, or the time is up. */
  async #waitForStart(live: LiveState, plans: Map<string, ExecTarget>, signal: AbortSignal): Promise<void> {
    const { now, startTimeoutMs, pollMs } = this.#options;
    const deadline = now() + startTimeoutMs;
    const starting = () => [...plans].filter(([, p]) => p.kind === 'starting').map(([k]) => k);
    while (starting().length && now() < deadline && !signal.aborted) {
      await sleep(pollMs, signal);
      await Promise.all(
        starting().map(async (podKey) => {
          const pod = live.objects.get(podKey)!;
          try {
            const fresh = await this.#api.readPod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]));
            const plan = execTarget(fresh, now());
            // 'add' here means ours ended at once: say so rather than add another.
            plans.set(podKey, plan.kind === 'add' ? { kind: 'none', why: `probe container ${(plans.get(podKey) as { container: string }).container} ended as soon as it started` } : plan);
          } catch (e) {
            if (status(e) === 404) plans.set(podKey, { kind: 'none', why: 'pod gone' });
          }
        }),
      );
    }
  }
}

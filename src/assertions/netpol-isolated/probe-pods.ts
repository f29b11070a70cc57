// Probe pods in namespaces of our own: the stack's policies are judged
// against traffic from (and to) pods outside the stack, which is what
// isolation is about. Each probe runs the agent's server on every judged
// port, so a connect to it tells allowed from denied.
import { CoreV1Api, type KubeConfig, type V1Namespace, type V1Pod } from '@kubernetes/client-node';
import { InfraError } from '../../errors.ts';
import { abortable } from '../../core/abort.ts';
import { sleep } from '../../core/abort.ts';
import { agentImage } from '../../stack/sample.ts';
import { PROBE_CONTAINER, PROBE_LABEL, PROBE_NAMESPACES } from './probe-names.ts';
import { isPodReady } from '../../kube/pods.ts';

export { PROBE_CONTAINER, PROBE_LABEL, PROBE_NAMESPACES };

const PODS_PER_NAMESPACE = 1;

const status = (e: unknown) => (e as { code?: number }).code;

export function probeNamespace(name: string, runId: string): V1Namespace {
  return {
    metadata: {
      name,
      labels: {
        [PROBE_LABEL]: 'true',
        'shakedown.dev/probe-namespace': name.replace(/^shakedown-probe-/, ''),
        'app.kubernetes.io/managed-by': 'shakedown',
        'shakedown.dev/run-id': runId,
        'pod-security.kubernetes.io/enforce': 'restricted',
      },
    },
  };
}

export function probePod(namespace: string, name: string, ports: number[]): V1Pod {
  const labels = { app: 'shakedown-probe', [PROBE_LABEL]: 'true', 'shakedown.dev/probe-role': 'peer' };
  return {
    metadata: { name, namespace, labels },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 1,
      securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      // Spread over nodes so probes cross node boundaries, where enforcement differs.
      affinity: {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'shakedown-probe' } }, namespaceSelector: {} } }] },
      },
      containers: [
        {
          name: PROBE_CONTAINER,
          image: agentImage(),
          imagePullPolicy: 'IfNotPresent',
          args: ['serve', '--listen', ports.map((p) => `:${p}`).join(',')],
          ports: ports.map((p) => ({ name: `tcp-${p}`, containerPort: p })),
          readinessProbe: { httpGet: { path: '/healthz', port: ports[0]! }, periodSeconds: 1 },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

export class ProbePods {
  readonly #core: CoreV1Api;
  readonly #options: { runId: string; ports: number[] };

  constructor(config: KubeConfig, options: { runId: string; ports: number[] }) {
    this.#core = config.makeApiClient(CoreV1Api);
    this.#options = options;
  }

  /** Creates the namespaces and pods and waits until every probe is ready (the agent image is loadAgentImage()'s job). */
  async create(signal: AbortSignal, timeoutMs = 120_000): Promise<void> {
    const core = this.#core;
    for (const name of PROBE_NAMESPACES) {
      // A namespace a crashed run left behind is removed first: we own these names.
      if (await this.#exists(name)) await this.#deleteAndWait(name, signal, timeoutMs);
      await abortable(core.createNamespace({ body: probeNamespace(name, this.#options.runId) }), signal);
      for (let i = 1; i <= PODS_PER_NAMESPACE; i++) {
        await abortable(core.createNamespacedPod({ namespace: name, body: probePod(name, `p${i}`, this.#options.ports) }), signal);
      }
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pods = (await Promise.all(PROBE_NAMESPACES.map((namespace) => core.listNamespacedPod({ namespace, labelSelector: `${PROBE_LABEL}=true` })))).flatMap((l) => l.items);
      const waiting = pods.filter((p) => !isPodReady(p));
      if (pods.length === PROBE_NAMESPACES.length * PODS_PER_NAMESPACE && waiting.length === 0) return;
      if (Date.now() > deadline || signal.aborted) {
        const why = waiting.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}: ${p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? p.status?.phase ?? 'not ready'}`).join('; ');
        throw new InfraError(`netpol probe pods not ready within ${Math.round(timeoutMs / 1000)} s: ${why}`);
      }
      await sleep(1000, signal);
    }
  }

  /** Removes every probe namespace, waiting until they are gone so a next run starts clean. */
  async delete(signal: AbortSignal, timeoutMs = 60_000): Promise<void> {
    const errors: string[] = [];
    await Promise.all(PROBE_NAMESPACES.map((name) => this.#deleteAndWait(name, signal, timeoutMs).catch((e: Error) => errors.push(`${name}: ${e.message}`))));
    if (errors.length) throw new InfraError(`removing netpol probe namespaces failed: ${errors.join('; ')}`);
  }

  async #exists(name: string): Promise<boolean> {
    try {
      await this.#core.readNamespace({ name });
      return true;
    } catch (e) {
      if (status(e) === 404) return false;
      throw e;
    }
  }

  async #deleteAndWait(name: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
    try {
      await abortable(this.#core.deleteNamespace({ name }), signal);
    } catch (e) {
      if (status(e) !== 404) throw e;
    }
    const deadline = Date.now() + timeoutMs;
    while (await this.#exists(name)) {
      if (Date.now() > deadline || signal.aborted) throw new InfraError(`namespace ${name} still terminating after ${Math.round(timeoutMs / 1000)} s`);
      await sleep(1000, signal);
    }
  }
}

// Where a probe runs: a pod's own agent, or shakedown's agent added as an
// ephemeral container; the spec of that container; and the API side that
// adds it and waits for it, against a fake API.
import type { V1ContainerState, V1EphemeralContainer, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EphemeralAgents, type EphemeralApi } from '../../../src/assertions/netpol-isolated/ephemeral-agents.ts';
import { agentContainer, execTarget, IDLE_SECONDS, isAgentImage, MAX_PROBE_CONTAINERS, probeContainerSpec } from '../../../src/assertions/netpol-isolated/probe-container.ts';
import type { LiveState } from '../../../src/netpol/live.ts';
import type { ProbeTarget } from '../../../src/netpol/probe.ts';
import { EventBus } from '../../../src/core/events.ts';
import { agentImage } from '../../../src/stack/sample.ts';

// Now, not a fixed date: EphemeralAgents reads the real clock when it judges a container's age.
const NOW = Date.now();
const ago = (seconds: number) => new Date(NOW - seconds * 1000);

function pod(name: string, containers: Array<{ name: string; image: string }>, ephemeral: Array<{ name: string; state?: V1ContainerState; command?: string[] }> = []): V1Pod {
  return {
    metadata: { name, namespace: 'shop', uid: `uid-${name}` },
    spec: {
      containers,
      ...(ephemeral.length && { ephemeralContainers: ephemeral.map((e): V1EphemeralContainer => ({ name: e.name, image: agentImage(), command: e.command ?? ['/agent', 'idle', '--for', `${IDLE_SECONDS}s`] })) }),
    },
    status: { ephemeralContainerStatuses: ephemeral.filter((e) => e.state).map((e) => ({ name: e.name, image: agentImage(), imageID: '', ready: false, restartCount: 0, state: e.state! })) },
  };
}
const web = [{ name: 'web', image: 'nginx:1.27' }];
const running = (secondsAgo: number): V1ContainerState => ({ running: { startedAt: ago(secondsAgo) } });

describe('the agent image', () => {
  it("is shakedown's agent at any version or registry, and nobody else's agent", () => {
    expect(isAgentImage(agentImage())).toBe(true);
    expect(isAgentImage('shakedown/agent:v0.1.0')).toBe(true);
    expect(isAgentImage('registry.example:5000/team/shakedown/agent@sha256:abc')).toBe(true);
    expect(isAgentImage('datadog/agent:7')).toBe(false);
    expect(isAgentImage('myshakedown/agent:1')).toBe(false);
    expect(isAgentImage('shakedown/agent-extra:1')).toBe(false);
    expect(isAgentImage(undefined)).toBe(false);
    expect(isAgentImage('localhost:5000/shakedown/agent:v2', 'localhost:5000/shakedown/agent:v1')).toBe(true);
  });

  it("finds a pod's own agent container: the probe pods' by name, a stack pod's by image", () => {
    expect(
      agentContainer(
        pod('p', [
          { name: 'sidecar', image: agentImage() },
          { name: 'agent', image: agentImage() },
        ]),
      ),
    ).toBe('agent');
    expect(agentContainer(pod('p', [...web, { name: 'app', image: agentImage() }]))).toBe('app');
    expect(agentContainer(pod('p', [{ name: 'agent', image: 'datadog/agent:7' }]))).toBeUndefined();
  });
});

describe('the probe container', () => {
  const spec = probeContainerSpec('shakedown-probe-1', 'shakedown/agent:v9');

  it('passes restricted Pod Security: non-root, no privilege escalation, every capability dropped, RuntimeDefault seccomp', () => {
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.securityContext?.privileged).toBeUndefined();
  });

  it('idles for a bounded time, and has nothing an ephemeral container may not have', () => {
    expect(spec).toMatchObject({ name: 'shakedown-probe-1', image: 'shakedown/agent:v9', imagePullPolicy: 'IfNotPresent', command: ['/agent', 'idle', '--for', `${IDLE_SECONDS}s`] });
    expect(IDLE_SECONDS).toBeLessThanOrEqual(3600);
    for (const field of ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']) expect(spec).not.toHaveProperty(field);
  });
});

describe('where a probe execs', () => {
  it("uses a pod's own agent, with or without our containers beside it", () => {
    expect(execTarget(pod('p', [{ name: 'agent', image: agentImage() }]), NOW)).toEqual({ kind: 'exec', container: 'agent' });
  });

  it('adds a probe container to a pod without the agent, ignoring ephemeral containers that are not ours', () => {
    expect(execTarget(pod('p', web), NOW)).toEqual({ kind: 'add', container: 'shakedown-probe-1' });
    expect(execTarget(pod('p', web, [{ name: 'debugger-x7', state: running(10) }]), NOW)).toEqual({ kind: 'add', container: 'shakedown-probe-1' });
  });

  it('execs in our running container while it has time left, and replaces it near its end', () => {
    expect(execTarget(pod('p', web, [{ name: 'shakedown-probe-1', state: running(60) }]), NOW)).toEqual({ kind: 'exec', container: 'shakedown-probe-1' });
    expect(execTarget(pod('p', web, [{ name: 'shakedown-probe-1', state: running(IDLE_SECONDS - 30) }]), NOW)).toEqual({ kind: 'add', container: 'shakedown-probe-2' });
    // A container another run started with a shorter idle is judged by its own time.
    expect(execTarget(pod('p', web, [{ name: 'shakedown-probe-1', state: running(200), command: ['/agent', 'idle', '--for', '300s'] }]), NOW)).toEqual({ kind: 'add', container: 'shakedown-probe-2' });
  });

  it('uses the newest of ours, by number', () => {
    const p = pod('p', web, [
      { name: 'shakedown-probe-10', state: running(5) },
      { name: 'shakedown-probe-9', state: { terminated: { exitCode: 0, startedAt: ago(1000), finishedAt: ago(100) } } },
    ]);
    expect(execTarget(p, NOW)).toEqual({ kind: 'exec', container: 'shakedown-probe-10' });
  });

  it('waits for one that is being created', () => {
    expect(execTarget(pod('p', web, [{ name: 'shakedown-probe-1' }]), NOW)).toEqual({ kind: 'starting', container: 'shakedown-probe-1' });
    expect(execTarget(pod('p', web, [{ name: 'shakedown-probe-1', state: { waiting: { reason: 'ContainerCreating' } } }]), NOW)).toEqual({ kind: 'starting', container: 'shakedown-probe-1', reason: 'ContainerCreating' });
  });

  it('gives up on one that cannot start, saying why, without adding more', () => {
    const stuck = pod('p', web, [{ name: 'shakedown-probe-1', state: { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "shakedown/agent:v0.3.0" is not present' } } }]);
    expect(execTarget(stuck, NOW)).toEqual({ kind: 'none', why: 'probe container shakedown-probe-1 ErrImageNeverPull: Container image "shakedown/agent:v0.3.0" is not present' });
    const refused = pod('p', web, [{ name: 'shakedown-probe-1', state: { terminated: { exitCode: 2, reason: 'Error', message: 'usage: agent serve|connect|http|version [flags] [args]\n', startedAt: ago(10), finishedAt: ago(10) } } }]);
    expect(execTarget(refused, NOW)).toEqual({ kind: 'none', why: 'probe container shakedown-probe-1 exited 2 (Error) after 0 s: usage: agent serve|connect|http|version [flags] [args]' });
  });

  it('replaces one that ran its time or was cut short later (its node rebooted)', () => {
    const expired = pod('p', web, [{ name: 'shakedown-probe-1', state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ago(IDLE_SECONDS + 5), finishedAt: ago(5) } } }]);
    expect(execTarget(expired, NOW)).toEqual({ kind: 'add', container: 'shakedown-probe-2' });
    const rebooted = pod('p', web, [{ name: 'shakedown-probe-3', state: { terminated: { exitCode: 255, reason: 'Unknown', startedAt: ago(400), finishedAt: ago(60) } } }]);
    expect(execTarget(rebooted, NOW)).toEqual({ kind: 'add', container: 'shakedown-probe-4' });
  });

  it('adds no more than the cap to one pod', () => {
    const done = { terminated: { exitCode: 0, startedAt: ago(2000), finishedAt: ago(1000) } };
    const full = pod(
      'p',
      web,
      Array.from({ length: MAX_PROBE_CONTAINERS }, (_, i) => ({ name: `shakedown-probe-${i + 1}`, state: done })),
    );
    expect(execTarget(full, NOW)).toMatchObject({ kind: 'none', why: expect.stringMatching(/^already has 24 probe containers/) });
  });
});

/** A fake API: pods by name; an added container starts running on the `startsAfter`-th read. */
function fakeApi(pods: V1Pod[], options: { refuse?: { code: number; message: string }; startsAfter?: number; state?: V1ContainerState } = {}) {
  const byName = new Map(pods.map((p) => [p.metadata!.name!, p]));
  const reads = new Map<string, number>();
  const added: string[] = [];
  const api: EphemeralApi = {
    async addEphemeralContainer(_namespace, name, container) {
      if (options.refuse) throw Object.assign(new Error(`HTTP ${options.refuse.code}`), { code: options.refuse.code, body: JSON.stringify({ message: options.refuse.message }) });
      added.push(`${name}:${container.name}`);
      const p = byName.get(name)!;
      p.spec!.ephemeralContainers = [...(p.spec!.ephemeralContainers ?? []), container];
    },
    async readPod(_namespace, name) {
      const p = structuredClone(byName.get(name)!);
      const n = (reads.get(name) ?? 0) + 1;
      reads.set(name, n);
      const ours = p.spec?.ephemeralContainers?.at(-1);
      if (ours) {
        const state = n >= (options.startsAfter ?? 1) ? (options.state ?? { running: { startedAt: new Date() } }) : { waiting: { reason: 'ContainerCreating' } };
        p.status = { ...p.status, ephemeralContainerStatuses: [{ name: ours.name, image: ours.image!, imageID: '', ready: false, restartCount: 0, state }] };
        byName.set(name, p);
      }
      return p;
    },
  };
  return { api, added };
}

function liveOf(pods: V1Pod[], extra: Record<string, Partial<ProbeTarget>> = {}): LiveState {
  const targets = pods.map((p): ProbeTarget => ({ namespace: 'shop', name: p.metadata!.name!, ip: '10.0.0.1', ports: [8080], ...(agentContainer(p) && { container: agentContainer(p) }), ...extra[p.metadata!.name!] }));
  return { cluster: { namespaces: [], pods: [], policies: [] }, targets, objects: new Map(pods.map((p) => [`shop/${p.metadata!.name}`, p])), downNodes: new Set() };
}

describe('giving pods an agent', () => {
  const signal = new AbortController().signal;

  it('adds the container to pods without an agent, waits until it runs, and execs there; pods with one, or unusable, are left alone', async () => {
    const pods = [pod('user', web), pod('stack', [{ name: 'agent', image: agentImage() }]), pod('down', web)];
    const { api, added } = fakeApi(pods, { startsAfter: 2 });
    const agents = new EphemeralAgents(api, { image: agentImage(), bus: new EventBus(), pollMs: 1 });
    const targets = await agents.attach(liveOf(pods, { down: { unusable: 'node w2 is down' } }), signal);
    expect(added).toEqual(['user:shakedown-probe-1']);
    expect(targets.map((t) => [t.name, t.container, t.cannotProbe])).toEqual([
      ['user', 'shakedown-probe-1', undefined],
      ['stack', 'agent', undefined],
      ['down', undefined, undefined],
    ]);
    // The container added carries the spec, image and idle of probeContainerSpec().
    expect(pods[0]!.spec!.ephemeralContainers![0]).toEqual(probeContainerSpec('shakedown-probe-1', agentImage()));
  });

  it('says a container still starting is not running yet, and uses it once it runs, without adding another', async () => {
    const pods = [pod('user', web)];
    const { api, added } = fakeApi(pods, { startsAfter: 1000 });
    const agents = new EphemeralAgents(api, { image: agentImage(), bus: new EventBus(), pollMs: 1, startTimeoutMs: 20 });
    const [first] = await agents.attach(liveOf(pods), signal);
    expect(first).toMatchObject({ cannotProbe: 'probe container shakedown-probe-1 not running yet (ContainerCreating)' });
    expect(first!.container).toBeUndefined();
    const runningNow = pod('user', web, [{ name: 'shakedown-probe-1', state: running(3) }]);
    const [second] = await agents.attach(liveOf([runningNow]), signal);
    expect(second!.container).toBe('shakedown-probe-1');
    expect(added).toEqual(['user:shakedown-probe-1']);
  });

  it('reports a container that fails to start, and does not add another', async () => {
    const pods = [pod('user', web)];
    const { api, added } = fakeApi(pods, { state: { waiting: { reason: 'ErrImageNeverPull', message: 'not present' } } });
    const agents = new EphemeralAgents(api, { image: agentImage(), bus: new EventBus(), pollMs: 1 });
    const [target] = await agents.attach(liveOf(pods), signal);
    expect(target!.cannotProbe).toBe('probe container shakedown-probe-1 ErrImageNeverPull: not present');
    expect(added).toHaveLength(1);
  });

  it('remembers a pod the API refused a container, warns once, and does not ask again', async () => {
    const pods = [pod('user', web), pod('other', web)];
    const { api } = fakeApi(pods, { refuse: { code: 403, message: 'pods "user" is forbidden: violates PodSecurity "restricted:latest"' } });
    let asked = 0;
    const counting: EphemeralApi = { ...api, addEphemeralContainer: (...args) => (asked++, api.addEphemeralContainer(...args)) };
    const bus = new EventBus();
    const warnings: string[] = [];
    bus.on((e) => e.kind === 'log' && e.level === 'warn' && warnings.push(e.message));
    const agents = new EphemeralAgents(counting, { image: agentImage(), bus, pollMs: 1 });
    const targets = await agents.attach(liveOf(pods), signal);
    expect(targets[0]!.cannotProbe).toBe('could not add probe container shakedown-probe-1: pods "user" is forbidden: violates PodSecurity "restricted:latest"');
    expect(warnings).toHaveLength(1);
    await agents.attach(liveOf(pods), signal);
    expect(asked).toBe(2);
  });

  it('asks again after a conflict', async () => {
    const pods = [pod('user', web)];
    const { api } = fakeApi(pods, { refuse: { code: 409, message: 'the object has been modified' } });
    let asked = 0;
    const counting: EphemeralApi = { ...api, addEphemeralContainer: (...args) => (asked++, api.addEphemeralContainer(...args)) };
    const agents = new EphemeralAgents(counting, { image: agentImage(), bus: new EventBus(), pollMs: 1 });
    await agents.attach(liveOf(pods), signal);
    await agents.attach(liveOf(pods), signal);
    expect(asked).toBe(2);
  });
});

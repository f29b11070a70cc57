// Fakes behind the runner's narrow ports, for fast unit tests of logic.
// A file-backed "world" lets a child process apply faults that the parent
// (or `cleanup`) later reverts, as after a real crash.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { z } from 'zod';
import type { AssertionType } from '../../src/assertions/types.ts';
import type { ClusterHandle, ClusterRef, NodeContainer, NodeRuntime } from '../../src/core/cluster.ts';
import type { FaultType } from '../../src/faults/types.ts';
import type { KubeApi, NamespaceSummary, NodeSummary, PodSummary, Taint } from '../../src/core/kube-api.ts';
import type { RunnerPorts } from '../../src/runner/ports.ts';
import type { LoadRun } from '../../src/load/types.ts';
import type { Registries } from '../../src/runner/registries.ts';
import { sleep } from '../../src/core/abort.ts';

/**
 * Applied changes, as a set of strings, persisted to a JSON file. Another
 * process polls the file while this one writes it, so every write is a
 * rename: a reader sees the old list or the new one, never a half-written file.
 */
export class FileWorld {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
    if (!existsSync(path)) this.write([]);
  }
  read(): string[] {
    return JSON.parse(readFileSync(this.path, 'utf8')) as string[];
  }
  add(item: string): void {
    this.write([...this.read(), item]);
  }
  remove(item: string): void {
    this.write(this.read().filter((i) => i !== item));
  }
  private write(items: string[]): void {
    const next = `${this.path}.${process.pid}.tmp`;
    writeFileSync(next, JSON.stringify(items));
    renameSync(next, this.path);
  }
}

/**
 * A fault that applies `steps` changes to the world, one per `stepMs`,
 * registering each revert first; `failAt` throws before that step.
 */
export function worldFault(): FaultType<{ world: string; steps: number; stepMs: number; failAt?: number; holdMs: number }> {
  return {
    type: 'world-fault',
    summary: 'applies numbered changes to a file world',
    params: z.strictObject({ world: z.string(), steps: z.number().int().default(2), stepMs: z.number().default(0), failAt: z.number().int().optional(), holdMs: z.number().default(0) }),
    describe: (p) => [`apply ${p.steps} changes`],
    async inject(ctx, p) {
      const world = new FileWorld(p.world);
      for (let i = 1; i <= p.steps; i++) {
        if (p.failAt === i) throw new Error(`step ${i} failed`);
        const item = `${ctx.fault.id}:step${i}`;
        ctx.cleanup.register(ctx.fault.id, 'world-fault/undo', { world: p.world, item }, `undo ${item}`);
        world.add(item);
        await sleep(p.stepMs, ctx.signal);
      }
      await sleep(p.holdMs, ctx.signal);
    },
    reverts: {
      undo: async (args: { world: string; item: string }) => new FileWorld(args.world).remove(args.item),
    },
  };
}

/** An assertion whose verdicts are scripted. */
export function scriptedAssertion(): AssertionType<{ steady: boolean; window: boolean; recovery: boolean }> {
  return {
    type: 'scripted',
    summary: 'returns the verdicts it is given',
    params: z.strictObject({ steady: z.boolean().default(true), window: z.boolean().default(true), recovery: z.boolean().default(true) }),
    describe: () => 'scripted verdicts',
    async start(_ctx, p) {
      const outcome = (ok: boolean, what: string) => ({ status: ok ? ('passed' as const) : ('failed' as const), message: `${what} ${ok ? 'held' : 'broke'}` });
      return {
        steadyState: async () => outcome(p.steady, 'steady state'),
        judgeWindow: async (w) => outcome(p.window, `window ${w.id}`),
        recovery: async () => outcome(p.recovery, 'recovery'),
        stop: async () => {},
      };
    },
  };
}

export function testRegistries(): Registries {
  const fault = worldFault();
  const assertion = scriptedAssertion();
  return { faults: { [fault.type]: fault }, assertions: { [assertion.type]: assertion } };
}

export class FakeNodes implements NodeRuntime {
  readonly machines: NodeContainer[];
  constructor(names = ['cp', 'w1', 'w2']) {
    this.machines = names.map((name, i) => ({ name, role: i === 0 ? 'control-plane' : 'worker', running: true, labels: {} }));
  }
  async list() {
    return this.machines.map((m) => ({ ...m }));
  }
  async stop(node: string) {
    this.machines.find((m) => m.name === node)!.running = false;
  }
  async start(node: string) {
    this.machines.find((m) => m.name === node)!.running = true;
  }
  async exec(_node: string, _command: string[]) {
    return { exitCode: 0, output: '' };
  }
  async copyIn(_node: string, _hostPath: string, _nodePath: string) {}
}

export class FakeKube implements KubeApi {
  nodes: NodeSummary[];
  pods: PodSummary[] = [];
  evictions: string[] = [];
  /** pod name -> number of 429s before the eviction is allowed */
  blocked = new Map<string, number>();
  constructor(names = ['cp', 'w1', 'w2']) {
    this.nodes = names.map((name) => ({ name, labels: {}, ready: true, unschedulable: false, taints: [] }));
  }
  node(name: string) {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw Object.assign(new Error(`node ${name} not found`), { code: 404 });
    return node;
  }
  async listNodes() {
    return structuredClone(this.nodes);
  }
  /** Equality selectors only (`app=web,tier=front`): all the tests use. */
  async listPods(options: { namespace?: string; labelSelector?: string; nodeName?: string } = {}) {
    const wanted = (options.labelSelector ?? '')
      .split(',')
      .filter(Boolean)
      .map((term) => term.split('=').map((s) => s.trim()) as [string, string]);
    return this.pods.filter((p) => (!options.namespace || p.namespace === options.namespace) && (!options.nodeName || p.nodeName === options.nodeName) && wanted.every(([k, v]) => p.labels[k] === v));
  }
  async setUnschedulable(node: string, value: boolean) {
    this.node(node).unschedulable = value;
  }
  async addTaint(node: string, taint: Taint) {
    const n = this.node(node);
    n.taints = [...n.taints.filter((t) => t.key !== taint.key), taint];
  }
  async removeTaint(node: string, key: string) {
    const n = this.node(node);
    n.taints = n.taints.filter((t) => t.key !== key);
  }
  async evictPod(namespace: string, name: string) {
    const left = this.blocked.get(name) ?? 0;
    if (left > 0) {
      this.blocked.set(name, left - 1);
      return { outcome: 'blocked' as const, message: `Cannot evict pod as it would violate the pod's disruption budget. The disruption budget ${name.split('-')[0]} needs 2 healthy pods and has 2 currently` };
    }
    this.evictions.push(`${namespace}/${name}`);
    this.pods = this.pods.filter((p) => p.name !== name);
    return { outcome: 'evicted' as const };
  }
  async deletePod(_namespace: string, name: string) {
    this.pods = this.pods.filter((p) => p.name !== name);
  }
  async recordNodeEvent() {}
  /** Whether the fake API server answers; a control-plane outage test turns it off. */
  answering = true;
  async answers() {
    return this.answering;
  }
  namespaces: NamespaceSummary[] = [];
  async listNamespaces() {
    return structuredClone(this.namespaces);
  }
  deletedNamespaces: string[] = [];
  /** A deleted namespace stays, Terminating, until a test removes it (as the API's finalizers would). */
  async deleteNamespace(name: string) {
    this.deletedNamespaces.push(name);
    const ns = this.namespaces.find((n) => n.name === name);
    if (ns) ns.terminating = true;
  }
}

export function fakeHandle(nodes: NodeRuntime = new FakeNodes(), name = 'fake'): ClusterHandle {
  const ref: ClusterRef = { provider: 'fake', name, kubeconfig: '/dev/null', owned: true };
  return {
    ref,
    nodes,
    info: async () => ({ name, provider: 'fake', nodes: [] }),
    // No images to load and no NodePort host: the fake stack's load targets nothing real.
    loadImages: async () => [],
    nodePortHost: async () => undefined,
    collectLogs: async () => {},
    delete: async () => {},
  };
}

export function fakePorts(options: { world?: FileWorld; kube?: FakeKube; nodes?: FakeNodes; requestsPerSecond?: number } = {}): RunnerPorts & { deleted: string[] } {
  const nodes = options.nodes ?? new FakeNodes();
  const kube = options.kube ?? new FakeKube();
  const deleted: string[] = [];
  return {
    deleted,
    cluster: {
      async ensure(_spec, { name }) {
        options.world?.add(`cluster:${name}`);
        return { handle: fakeHandle(nodes, name), created: true };
      },
      async attach(ref) {
        return {
          ...fakeHandle(nodes, ref.name),
          delete: async () => {
            deleted.push(ref.name);
            options.world?.remove(`cluster:${ref.name}`);
          },
        };
      },
    },
    kube: () => kube,
    kubeConfig: () => new KubeConfig(),
    stack: { deploy: async (scenario) => ({ namespace: scenario.stack.namespace, deployments: ['web'], targetUrl: 'http://127.0.0.1:1/' }) },
    load: {
      async start(): Promise<LoadRun> {
        const rps = options.requestsPerSecond ?? 10;
        return {
          metrics: { between: (a, b) => ({ requests: Math.round(((b - a) / 1000) * rps), failures: 0, errorRate: 0, p95Ms: 5, p99Ms: 9 }) },
          done: Promise.resolve({ requests: 0, failures: 0 }),
          stop: async () => {},
        };
      },
    },
  };
}

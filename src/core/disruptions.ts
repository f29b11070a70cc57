// The one record of what a run has disrupted. Faults report each disruption
// through one typed call; assertions ask it which nodes are down (and since
// when), which faults are evicting, and when each fault first hit the
// workload. The runner owns it and feeds it what the API says of nodes, so a
// node that comes back counts as back as soon as it is Ready again.
import type { EventBus } from './events.ts';

/** What a fault did, in the words assertions need. */
export type Disruption =
  /** Evictions are about to start on these nodes: a voluntary disruption, PodDisruptionBudgets apply. */
  | { kind: 'evictions-begin'; nodes: string[]; message: string }
  /** Pods left through the Eviction API (the first one is when the workload was hit). */
  | { kind: 'pods-evicted'; pods: string[]; message?: string }
  /** Pods deleted or killed directly: involuntary, no budget applies. */
  | { kind: 'pods-deleted'; pods: string[]; nodes?: string[]; message: string }
  /** Node machines stopped, killed or rebooted: down until their kubelet reports Ready again. `zone`: they are that whole zone. */
  | { kind: 'nodes-stopped'; nodes: string[]; zone?: string; message: string }
  /** Nodes cut off from the cluster's network: down until the fault that cut them ends. `zone`: they are that whole zone. */
  | { kind: 'nodes-cut-off'; nodes: string[]; zone?: string; message: string }
  /** Some of the traffic of these pods (or of these nodes, when no pods are named) is dropped until the fault ends: up, but lossy. */
  | { kind: 'traffic-degraded'; nodes: string[]; pods?: string[]; message: string }
  /** A burner presses these pods' containers (or these nodes, when no pods are named) until the fault ends: up, but throttled or OOM-killed. `amount`: how hard, as said to a person (`4 CPU busy loops`, `64Mi`). */
  | { kind: 'resources-pressed'; resource: 'cpu' | 'memory'; amount: string; nodes: string[]; pods?: string[]; message: string }
  /** The API server (or etcd behind it) cannot be reached from these control-plane nodes' network: controllers, kubelets and shakedown's own watches are blind until the fault ends; the workload should not notice. */
  | { kind: 'control-plane-unreachable'; nodes: string[]; message: string };

export type DisruptionKind = Disruption['kind'];

export interface Impact {
  faultId: string;
  faultType: string;
  t: number;
  disruption: Disruption;
}

/** What the API says of a node: its Ready condition and when the kubelet last wrote it. */
export interface NodeObservation {
  name: string;
  ready: boolean;
  /** lastHeartbeatTime of the Ready condition, epoch ms (second precision). */
  heartbeatAt?: number;
  /** The node object was deleted. */
  deleted?: boolean;
}

/** What faults get: one call per disruption. */
export type ReportDisruption = (disruption: Disruption) => void;

/** What assertions get: questions, never the events behind them. */
export interface DisruptionView {
  /** Nodes that are down now: stopped and not yet Ready again, cut off, NotReady, or deleted. */
  downNodes(): Set<string>;
  /** Down now: stopped and not Ready again, cut off, NotReady, or no longer in the cluster. */
  isDown(node: string): boolean;
  /**
   * When the node's machine last went down, even if it is back: a pod there
   * whose Ready condition is older than this was never confirmed by the new
   * kubelet (the API keeps the old status until the kubelet rewrites it).
   */
  lastStopped(node: string): number | undefined;
  /**
   * When the node last came back from a stop (Ready again) or a cut (its fault
   * ended). Its network agent was blind to the API until then, so pods that
   * changed meanwhile are programmed only from here on.
   */
  backSince(node: string): number | undefined;
  /** Faults whose evictions are running (voluntary, budgets apply): fault id -> drained nodes. */
  voluntary(): Map<string, string[]>;
  /** Traffic a running fault drops some of: a refused connection there proves nothing about policy or health. */
  degraded(): { pods: Set<string>; nodes: Set<string> };
  /** Faults started and not yet ended. */
  activeFaults(): string[];
  /** Every disruption a fault reported, in order. */
  impacts(faultId?: string): Impact[];
  /** When a fault first hit the workload (first eviction, node stopped, pods deleted, nodes cut off, packets dropped). */
  firstHit(faultId: string): number | undefined;
  /** Called after any change (a disruption, a node back, a fault ended). */
  onChange(listener: () => void): () => void;
}

const HITS: ReadonlySet<DisruptionKind> = new Set(['pods-evicted', 'pods-deleted', 'nodes-stopped', 'nodes-cut-off', 'traffic-degraded', 'resources-pressed', 'control-plane-unreachable']);

interface Down {
  since: number;
  faultId: string;
  /** stopped: back on a fresh Ready heartbeat; cut-off: back when the fault ends. */
  how: 'stopped' | 'cut-off';
}

export class DisruptionTracker implements DisruptionView {
  readonly #impacts: Impact[] = [];
  readonly #down = new Map<string, Down>();
  readonly #nodes = new Map<string, NodeObservation>();
  readonly #stopped = new Map<string, number>();
  readonly #back = new Map<string, number>();
  readonly #active = new Map<string, string>();
  readonly #voluntary = new Map<string, string[]>();
  /** fault id -> what it degrades: pods by key, or whole nodes. */
  readonly #degraded = new Map<string, { pods: string[]; nodes: string[] }>();
  readonly #listeners = new Set<() => void>();
  readonly #bus: EventBus | undefined;
  readonly #now: () => number;

  constructor(options: { bus?: EventBus; now?: () => number } = {}) {
    this.#bus = options.bus;
    this.#now = options.now ?? Date.now;
  }

  /** The runner marks a fault's span; faults never call these. */
  faultStarted(faultId: string, faultType: string): void {
    this.#active.set(faultId, faultType);
    this.#changed();
  }

  faultEnded(faultId: string): void {
    this.#active.delete(faultId);
    this.#voluntary.delete(faultId);
    this.#degraded.delete(faultId);
    for (const [node, down] of this.#down) {
      if (down.faultId !== faultId || down.how !== 'cut-off') continue;
      this.#down.delete(node);
      this.#back.set(node, this.#now());
    }
    this.#changed();
  }

  /** The reporter a fault gets: bound to its id, and echoed on the bus for the report and live view. */
  reporterFor(faultId: string, faultType: string): ReportDisruption {
    return (disruption) => this.report(faultId, faultType, disruption);
  }

  report(faultId: string, faultType: string, disruption: Disruption): void {
    const t = this.#now();
    const first = !this.#impacts.some((i) => i.faultId === faultId && i.disruption.kind === disruption.kind);
    this.#impacts.push({ faultId, faultType, t, disruption });
    switch (disruption.kind) {
      case 'evictions-begin':
        this.#voluntary.set(faultId, disruption.nodes);
        break;
      case 'nodes-stopped':
      case 'nodes-cut-off':
        for (const node of disruption.nodes) {
          this.#down.set(node, { since: t, faultId, how: disruption.kind === 'nodes-stopped' ? 'stopped' : 'cut-off' });
          if (disruption.kind === 'nodes-stopped') this.#stopped.set(node, t);
        }
        // The nodes are gone: what is lost from here on is involuntary.
        this.#voluntary.delete(faultId);
        break;
      case 'pods-deleted':
        this.#voluntary.delete(faultId);
        break;
      case 'pods-evicted':
        break;
      case 'traffic-degraded':
      case 'resources-pressed':
        // Starved or lossy alike: what fails there proves nothing about policy or health.
        this.#degraded.set(faultId, { pods: disruption.pods ?? [], nodes: disruption.pods ? [] : disruption.nodes });
        break;
      case 'control-plane-unreachable':
        // No node is down and no traffic of the workload is dropped: only the API is out of reach.
        break;
    }
    // Every eviction is recorded; only the first is worth an event.
    if (disruption.kind !== 'pods-evicted' || first) this.#emit(faultId, faultType, disruption);
    this.#changed();
  }

  /** What the node watch saw. A stopped node is back once its kubelet writes Ready after it went down. */
  observeNode(observation: NodeObservation): void {
    if (observation.deleted) this.#nodes.delete(observation.name);
    else this.#nodes.set(observation.name, observation);
    const down = this.#down.get(observation.name);
    if (down?.how === 'stopped' && observation.ready && (observation.heartbeatAt ?? 0) > down.since) {
      this.#down.delete(observation.name);
      this.#back.set(observation.name, this.#now());
      this.#bus?.emit({ kind: 'log', level: 'info', message: `node ${observation.name} is Ready again, ${Math.round((this.#now() - down.since) / 1000)} s after it went down` });
    }
    this.#changed();
  }

  downNodes(): Set<string> {
    const down = new Set(this.#down.keys());
    for (const node of this.#nodes.values()) if (!node.ready) down.add(node.name);
    return down;
  }

  isDown(node: string): boolean {
    if (this.#down.has(node)) return true;
    // Without a node watch nothing more is known; with one, a node it does not list is gone.
    return this.#nodes.size > 0 && !this.#nodes.get(node)?.ready;
  }

  lastStopped(node: string): number | undefined {
    return this.#stopped.get(node);
  }

  backSince(node: string): number | undefined {
    return this.#back.get(node);
  }

  voluntary(): Map<string, string[]> {
    return new Map(this.#voluntary);
  }

  degraded(): { pods: Set<string>; nodes: Set<string> } {
    const all = [...this.#degraded.values()];
    return { pods: new Set(all.flatMap((d) => d.pods)), nodes: new Set(all.flatMap((d) => d.nodes)) };
  }

  activeFaults(): string[] {
    return [...this.#active.keys()];
  }

  impacts(faultId?: string): Impact[] {
    return this.#impacts.filter((i) => faultId === undefined || i.faultId === faultId);
  }

  firstHit(faultId: string): number | undefined {
    return this.#impacts.find((i) => i.faultId === faultId && HITS.has(i.disruption.kind))?.t;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch {
        // An assertion's bookkeeping must never break a fault.
      }
    }
  }

  #emit(faultId: string, type: string, d: Disruption): void {
    const voluntary = d.kind === 'evictions-begin' || d.kind === 'pods-evicted';
    const nodes = 'nodes' in d ? d.nodes : undefined;
    const message = d.message ?? (d.kind === 'pods-evicted' ? `first eviction: ${d.pods.join(', ')}` : undefined);
    this.#bus?.emit({ kind: 'fault', faultId, type, state: 'active', disruption: voluntary ? 'voluntary' : 'involuntary', ...(nodes && { nodes }), ...(message && { message }) });
  }
}

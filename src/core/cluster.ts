// The cluster provider interface. kind boots local clusters; `existing`
// (pre-upgrade verification) attaches to a cluster the user names. Both hand
// the runner the same ClusterHandle.
import type { EventBus } from './events.ts';

/** Serialisable identity of a cluster: enough for `shakedown cleanup` to reconnect. */
export interface ClusterRef {
  provider: 'kind' | 'existing' | 'fake';
  name: string;
  kubeconfig: string;
  context?: string;
  /** Docker network the nodes sit on (kind). */
  network?: string;
  /** True when shakedown created it, so shakedown may aim faults at it and delete it. */
  owned: boolean;
}

export interface NodeContainer {
  /** Kubernetes node name (kind: also the container name). */
  name: string;
  role: 'control-plane' | 'worker';
  running: boolean;
  labels: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  output: string;
}

/** Power and shell of the machines behind the nodes. */
export interface NodeRuntime {
  list(): Promise<NodeContainer[]>;
  /** Stops the node's machine; `kill` skips the graceful shutdown. */
  stop(node: string, options?: { kill?: boolean; timeoutSeconds?: number }): Promise<void>;
  start(node: string): Promise<void>;
  exec(node: string, command: string[]): Promise<ExecResult>;
  /** Copies a file of this machine into the node's machine (an upgrade's new binaries). */
  copyIn(node: string, hostPath: string, nodePath: string): Promise<void>;
}

export interface ClusterInfo {
  name: string;
  provider: string;
  /** The API server's version (GET /version); else the kubelets'. */
  kubernetesVersion?: string;
  /** The CNI the cluster was booted with, when the provider knows it. */
  cni?: string;
  nodes: Array<{ name: string; role: string; ready: boolean; kubeletVersion?: string }>;
  network?: string;
  fenced?: boolean;
}

export interface ClusterHandle {
  ref: ClusterRef;
  nodes: NodeRuntime;
  /**
   * Puts images this machine holds into every node, since there is no
   * registry to pull from; returns the images it could not provide (the
   * nodes may still pull those themselves).
   */
  loadImages(images: string[], bus: EventBus): Promise<string[]>;
  /** An address on this machine where the cluster's NodePorts answer, if there is one. */
  nodePortHost(): Promise<string | undefined>;
  info(): Promise<ClusterInfo>;
  collectLogs(dir: string): Promise<void>;
  /** Idempotent: deleting what is already gone succeeds. */
  delete(): Promise<void>;
}

// A CNI shakedown can boot a kind cluster with. The node image either
// carries it as kind's default CNI, or shakedown applies it once kind has
// created the nodes (which stay NotReady until it runs).
export interface CniInstallContext {
  kubeconfig: string;
  /** The cluster's pod CIDR, from its kind config. */
  podSubnet: string;
  /** Bare prefix of locally built images, when the node image is one of ours. */
  imageRepository?: string;
  signal: AbortSignal;
  log: (message: string) => void;
}

export interface Cni {
  name: string;
  summary: string;
  /**
   * Where its images come from: `local`, built on this machine by
   * `task cluster:images` and preloaded in the node image; `registry`,
   * pulled from public registries by the nodes, as on a laptop.
   */
  images: 'local' | 'registry';
  /** Whether it enforces NetworkPolicy at all; netpol checks say so when it does not. */
  enforcesNetworkPolicy: boolean;
  /** Its pinned install source, clusters/cni/<pins>.yaml, fetched by `install`. */
  pins?: string;
  /** Host tools `install` runs besides kubectl. */
  tools?: string[];
  /** Applies the CNI to a fresh cluster; absent when the node image's default CNI is this one. */
  install?: (ctx: CniInstallContext) => Promise<void>;
}

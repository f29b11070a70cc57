import type { Cni } from '../types.ts';

/** kind's own CNI, carried by kind's upstream node image. */
export const kindnet: Cni = {
  name: 'kindnet',
  summary: "kind's default CNI, from kind's upstream node image (needs a registry)",
  images: 'registry',
  // kindnet enforces NetworkPolicy on kernels with nftables and nfqueue; where
  // it cannot, netpol-isolated's probes find that out and say so.
  enforcesNetworkPolicy: true,
};

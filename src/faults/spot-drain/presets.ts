// How each cloud reclaims a spot node. The difference matters to PDBs: a
// handler draining through the Eviction API respects them; a kubelet's
// graceful node shutdown deletes pods directly and does not.

export type Provider = 'aws' | 'gcp' | 'azure';
export type Mechanism = 'evict' | 'shutdown';

export interface Preset {
  /** Time from the interruption notice to the instance stopping, ms. */
  notice: number;
  mechanism: Mechanism;
  /** shutdown: the share of the notice ordinary pods get before critical ones, ms. */
  ordinaryShare: number;
  /** Where the timing comes from (the cloud's documentation page). */
  source: string;
  /** Said in the plan and the report. */
  note: string;
}

export const PRESETS: Record<Provider, Preset> = {
  aws: {
    // "Spot Instance interruption notices" (Amazon EC2 User Guide): a two-minute warning.
    notice: 120_000,
    mechanism: 'evict',
    ordinaryShare: 0,
    source: 'Spot Instance interruption notices (Amazon EC2 User Guide)',
    note: 'a handler (NTH, Karpenter) drains through the Eviction API: PodDisruptionBudgets apply, but the drain may not finish before the instance stops',
  },
  gcp: {
    // "Spot VMs" (Google Kubernetes Engine docs): 30 s notice; the kubelet's graceful
    // node shutdown gives ordinary pods 15 s, then system-critical pods 15 s.
    notice: 30_000,
    mechanism: 'shutdown',
    ordinaryShare: 15_000,
    source: 'Spot VMs (Google Kubernetes Engine documentation)',
    note: 'GCP graceful shutdown does not use the Eviction API: PodDisruptionBudgets do not apply',
  },
  azure: {
    // "Use Azure Spot Virtual Machines" and "Scheduled Events for Linux VMs" (Azure docs):
    // a Preempt event at least 30 s before eviction; AKS runs no drain handler by default.
    notice: 30_000,
    mechanism: 'shutdown',
    ordinaryShare: 15_000,
    source: 'Use Azure Spot Virtual Machines; Azure Metadata Service: Scheduled Events for Linux VMs (Azure documentation)',
    note: 'without a drain handler, pods are terminated directly when the VM is evicted: PodDisruptionBudgets do not apply',
  },
};

/** A preset with the scenario's per-field overrides applied. */
export function resolvePreset(provider: Provider, overrides: { notice?: number | undefined; mechanism?: Mechanism | undefined }): Preset {
  const base = PRESETS[provider];
  const mechanism = overrides.mechanism ?? base.mechanism;
  return {
    ...base,
    ...(overrides.notice !== undefined && { notice: overrides.notice }),
    mechanism,
    ordinaryShare: Math.min(base.ordinaryShare || (overrides.notice ?? base.notice) / 2, overrides.notice ?? base.notice),
    note: mechanism === base.mechanism ? base.note : mechanism === 'evict' ? 'a drain handler evicts through the Eviction API: PodDisruptionBudgets apply' : PRESETS.gcp.note.replace('GCP graceful shutdown', 'Graceful node shutdown'),
  };
}

// shakedown's own node vocabulary, shared by the cluster that boots spares,
// the faults that use them, the stack that tolerates the spot taint and the
// reset that tells our taints from someone else's. Not kind's: a provider
// that labels nodes this way gets spares too.
export const SPARE_LABEL = 'shakedown.dev/role';
/** The well-known zone label; kind workers get zone-a, zone-b, ... in turn. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Spare workers wait, tainted, to replace a reclaimed spot node. */
export const SPARE_TAINT = 'shakedown.dev/spare';
/** A spot node under notice of reclaim. */
export const SPOT_TAINT = 'shakedown.dev/spot-interruption';

export function isSpare(labels: Record<string, string> | undefined): boolean {
  return labels?.[SPARE_LABEL] === 'spare';
}

// Kubernetes version strings ("v1.35", "v1.34.10", "v1.31.4-eks-1a2b", "1.30")
// reduced to what the skew policy and the removal table compare.

export interface KubeVersion {
  major: number;
  minor: number;
  patch?: number;
}

export function parseKubeVersion(text: string | undefined): KubeVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec((text ?? '').trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), ...(match[3] !== undefined && { patch: Number(match[3]) }) };
}

/** Minor releases from `from` to `to` (negative when `to` is older); major 1 throughout. */
export function minorsBetween(from: KubeVersion, to: KubeVersion): number {
  return (to.major - from.major) * 1000 + (to.minor - from.minor);
}

export function versionText(v: KubeVersion): string {
  return `v${v.major}.${v.minor}${v.patch !== undefined ? `.${v.patch}` : ''}`;
}

// The API server's own version (GET /version), as the cluster reports it:
// what the report shows as the cluster's Kubernetes version. Kubelets may
// lag the control plane, so their versions are only a fallback.
import { VersionApi } from '@kubernetes/client-node';
import { loadKubeConfig } from '../kube/client.ts';
import type { ClusterRef } from '../core/cluster.ts';

export async function serverVersion(ref: Pick<ClusterRef, 'kubeconfig' | 'context'>): Promise<string | undefined> {
  try {
    const info = await loadKubeConfig(ref.kubeconfig, ref.context).makeApiClient(VersionApi).getCode();
    return info.gitVersion || undefined;
  } catch {
    return undefined;
  }
}

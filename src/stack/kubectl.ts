// kubectl aimed at the run's cluster, for the stack's one kubectl step: applying manifests.

/** The flags that aim kubectl at the cluster: an existing cluster's kubeconfig may hold other contexts, current or not. */
export function kubectlTarget(ref: { kubeconfig: string; context?: string }): string[] {
  return ['--kubeconfig', ref.kubeconfig, ...(ref.context ? ['--context', ref.context] : [])];
}

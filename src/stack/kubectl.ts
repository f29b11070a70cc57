// kubectl aimed at the run's cluster, for the stack's own steps.
import type { ExecOutput } from '../tools/exec.ts';

/** kubectl with the target flags in front; returns its output, never throws on a non-zero exit. */
export type Kubectl = (args: string[], input?: string) => Promise<ExecOutput>;

/** The flags that aim kubectl at the cluster: an existing cluster's kubeconfig may hold other contexts, current or not. */
export function kubectlTarget(ref: { kubeconfig: string; context?: string }): string[] {
  return ['--kubeconfig', ref.kubeconfig, ...(ref.context ? ['--context', ref.context] : [])];
}

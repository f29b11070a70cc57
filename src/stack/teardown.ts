// Undo of a stack deployment: the namespace goes and any node pin is
// removed. It does not wait for the namespace to finish terminating: a
// cluster about to be deleted need not, and a next run on a reused cluster
// waits for it before deploying (see deploy.ts).
import type { RevertHandler } from '../runner/cleanup.ts';
import { exec, must } from '../tools/exec.ts';
import { PIN_LABEL } from './sample.ts';

export const deleteStack: RevertHandler = async (args: { kubeconfig: string; namespace: string; nodes: string[] }, ctx) => {
  const kubectl = (more: string[]) => must('kubectl', ['--kubeconfig', args.kubeconfig, ...more], { signal: ctx.signal });
  await kubectl(['delete', 'namespace', args.namespace, '--ignore-not-found', '--wait=false']);
  for (const node of args.nodes) {
    await exec('kubectl', ['--kubeconfig', args.kubeconfig, 'label', 'node', node, `${PIN_LABEL}-`], { signal: ctx.signal });
  }
};

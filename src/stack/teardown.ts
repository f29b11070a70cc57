// Undo of a stack deployment: the namespace goes and any node pin is
// removed. It does not wait for the namespace to finish terminating: a
// cluster about to be deleted need not, and a next run on a reused cluster
// waits for it before deploying (see namespace.ts).
import type { RevertHandler } from '../core/reverts.ts';
import { exec, must } from '../tools/exec.ts';
import { kubectlTarget } from './kubectl.ts';
import { MANAGED_BY_LABEL } from './namespace.ts';
import { PIN_LABEL } from './sample.ts';

export const deleteStack: RevertHandler = async (args: { kubeconfig: string; context?: string; namespace: string; nodes: string[] }, ctx) => {
  const target = kubectlTarget(args);
  // Only a namespace shakedown made (it carries the label) is deleted: a user's own one, on an existing cluster, is theirs.
  const found = await must('kubectl', [...target, 'get', 'namespace', args.namespace, '--ignore-not-found', '-o', 'json'], { signal: ctx.signal });
  const labels = found.trim() ? ((JSON.parse(found) as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {}) : undefined;
  if (labels && labels[MANAGED_BY_LABEL] !== 'shakedown') {
    ctx.bus.log('warn', `namespace ${args.namespace} was not made by shakedown: left in place, with what the stack applied in it`);
  } else if (labels) {
    await must('kubectl', [...target, 'delete', 'namespace', args.namespace, '--ignore-not-found', '--wait=false'], { signal: ctx.signal });
  }
  for (const node of args.nodes) {
    await exec('kubectl', [...target, 'label', 'node', node, `${PIN_LABEL}-`], { signal: ctx.signal });
  }
};

// Before any fault: does each fault's aim exist on this stack? A selector
// that matches no pod, or a node that is not there, makes a scenario that
// cannot prove anything; it fails at steady state, naming the field and the
// nearest label or node that does exist, not minutes later as a fault error.
import type { KubeApi } from '../core/kube-api.ts';
import type { PlannedFault } from '../scenario/model.ts';
import { nearestName } from '../scenario/suggest.ts';
import type { Registries } from './registries.ts';

/** One sentence per fault whose aim misses, naming the scenario field. */
export async function aimProblems(faults: PlannedFault[], registries: Pick<Registries, 'faults'>, kube: Pick<KubeApi, 'listPods' | 'listNodes'>, namespace: string): Promise<string[]> {
  const problems: string[] = [];
  let nodeNames: string[] | undefined;
  for (const [index, fault] of faults.entries()) {
    const aim = registries.faults[fault.type]?.aims?.(fault.params);
    const where = (field: string) => `fault ${fault.id} (faults[${index}].params.${field})`;
    if (aim?.pods) {
      const ns = aim.pods.namespace ?? namespace;
      const matched = (await kube.listPods({ namespace: ns, labelSelector: aim.pods.selector })).filter((p) => !p.deleting);
      if (matched.length === 0) {
        const labels = new Set((await kube.listPods({ namespace: ns })).flatMap((p) => Object.entries(p.labels).map(([k, v]) => `${k}=${v}`)));
        const near = nearestName(aim.pods.selector, labels);
        problems.push(`${where(aim.pods.field)}: ${aim.pods.selector} matches no pod in ${ns}${near ? `; did you mean ${near}?` : labels.size ? '' : ` (${ns} has no pods)`}`);
      }
    }
    if (aim?.nodes) {
      nodeNames ??= (await kube.listNodes()).map((n) => n.name);
      for (const name of aim.nodes.names.filter((n) => !nodeNames!.includes(n))) {
        const near = nearestName(name, nodeNames);
        problems.push(`${where(aim.nodes.field)}: no node named ${name}${near ? `; did you mean ${near}?` : ''} (nodes: ${nodeNames.join(', ')})`);
      }
    }
  }
  return problems;
}

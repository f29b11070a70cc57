// The words every explanation uses for the stack's own objects, so a budget
// to add or a deployment named reads the same whichever assertion says it.
import type { V1Deployment } from '@kubernetes/client-node';
import type { Explanation } from '../../core/result.ts';
import { selectorText } from './pods.ts';
import { matchLabelsYaml } from '../../core/label-selector.ts';

/** The labels a budget for this deployment should select: those its own selector matches on (its pods carry them all), else its pod template's. */
export function budgetLabels(deployment: V1Deployment): Record<string, string> {
  const own = deployment.spec?.selector?.matchLabels;
  return own && Object.keys(own).length ? own : (deployment.spec?.template?.metadata?.labels ?? {});
}

export function deploymentRef(deployment: V1Deployment, namespace: string): string {
  return `Deployment ${deployment.metadata?.namespace ?? namespace}/${deployment.metadata?.name ?? ''}`;
}

const labelsText = (labels: Record<string, string>) => selectorText({ matchLabels: labels });

/** No budget selects the deployment's pods: the one to add. */
export function noBudget(deployment: V1Deployment, namespace: string): Explanation {
  const labels = budgetLabels(deployment);
  return {
    cause: `no PodDisruptionBudget in ${namespace} selects ${deploymentRef(deployment, namespace)}'s pods (labels ${labelsText(labels)})`,
    fix: `add a PodDisruptionBudget in ${namespace} with selector matchLabels ${matchLabelsYaml(labels)} and maxUnavailable: 1`,
  };
}

/** One cause explained; the other failing objects named after it. */
export function andMore(explanation: Explanation, others: string[]): Explanation {
  return others.length ? { ...explanation, cause: `${explanation.cause} (and ${others.length} more: ${others.join(', ')})` } : explanation;
}

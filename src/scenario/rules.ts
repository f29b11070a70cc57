// Rules that span fields, checked after the shape is known to be right.
import type { Issue } from '../errors.ts';
import { durationText } from './duration.ts';
import type { Scenario } from './model.ts';
import type { TypeSchemas } from './registries.ts';
import { didYouMean } from './suggest.ts';

export function checkRules(scenario: Scenario, registries: TypeSchemas): Issue[] {
  const issues: Issue[] = [];
  const file = scenario.file;
  const add = (path: string, message: string) => issues.push({ file, path, message });

  const assertionNames = new Set<string>();
  scenario.assertions.forEach((assertion, i) => {
    if (assertionNames.has(assertion.name)) add(`assertions[${i}].name`, `duplicate assertion name "${assertion.name}"`);
    assertionNames.add(assertion.name);
    const type = registries.assertions[assertion.type];
    if (type?.requires?.includes('load') && !scenario.load) {
      add(`assertions[${i}].type`, `${assertion.type} needs a load section (it judges k6 results)`);
    }
  });

  const faultIds = new Set<string>();
  scenario.faults.forEach((fault, i) => {
    if (faultIds.has(fault.id)) add(`faults[${i}].id`, `duplicate fault id "${fault.id}"`);
    faultIds.add(fault.id);
    fault.assert.forEach((name, j) => {
      if (!assertionNames.has(name)) {
        const hint = didYouMean(name, assertionNames) || ` (assertions: ${[...assertionNames].join(', ') || 'none defined'})`;
        add(`faults[${i}].assert[${j}]`, `refers to assertion "${name}", which is not defined${hint}`);
      }
    });
    if (scenario.load) {
      const loadEnd = scenario.load.duration;
      if (fault.at >= loadEnd) {
        add(`faults[${i}].at`, `starts at ${durationText(fault.at)}, after the load ends (load.duration is ${durationText(loadEnd)})`);
      } else if (fault.duration !== undefined && fault.at + fault.duration > loadEnd) {
        add(`faults[${i}].duration`, `window ${durationText(fault.at)}..${durationText(fault.at + fault.duration)} ends after the load (load.duration is ${durationText(loadEnd)})`);
      }
    }
  });

  if (scenario.cluster.provider === 'existing' && !scenario.cluster.context) {
    add('cluster.context', 'provider "existing" needs the kubeconfig context of the cluster to target, named explicitly');
  }
  if (scenario.cluster.provider === 'kind' && scenario.cluster.context) {
    add('cluster.context', 'only for provider "existing"; kind clusters get their own context');
  }
  if (scenario.load && !scenario.stack.sample && scenario.stack.manifests.length === 0) {
    add('stack', 'load needs something to hit: set sample: true or list manifests');
  }
  issues.push(...checkFaultsOnCluster(scenario, scenario.cluster));
  return issues;
}

/**
 * Faults the cluster cannot carry out, refused before anything is touched.
 * A suite runs its scenarios on its own cluster, so it checks them against that one.
 */
export function checkFaultsOnCluster(scenario: Pick<Scenario, 'file' | 'faults'>, cluster: Scenario['cluster']): Issue[] {
  if (cluster.provider !== 'existing') return [];
  // spot-drain ends by stopping the node's machine, out of reach on a cluster shakedown did not create:
  // it would evict real pods for the whole notice and only then fail.
  return scenario.faults.flatMap((fault, i) =>
    fault.type === 'spot-drain' && fault.params && (fault.params as { terminate?: string }).terminate !== 'none'
      ? [
          {
            file: scenario.file,
            path: `faults[${i}].type`,
            message: `spot-drain cannot terminate a node of an existing cluster (${cluster.context ?? 'no context'}): shakedown cannot stop a machine it did not create, and would only fail after draining real pods for the whole notice. Set params.terminate: none to drain and taint the node without stopping it, or use a kind cluster`,
          },
        ]
      : [],
  );
}

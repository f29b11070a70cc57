// Deploys the stack a scenario names (the sample stack and/or the user's
// manifests) with kubectl, makes sure its images are in the nodes, and
// waits until every deployment is rolled out.
import { dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, stringify } from 'yaml';
import { InfraError } from '../errors.ts';
import type { ClusterHandle } from '../clusters/types.ts';
import type { Scenario } from '../scenario/model.ts';
import type { EventBus } from '../runner/events.ts';
import type { CleanupStack } from '../runner/cleanup.ts';
import type { StackDeployer, StackInfo } from '../runner/ports.ts';
import { exec, must } from '../tools/exec.ts';
import { ensureImageInNodes } from './images.ts';
import { agentImage, FRONTEND_NODE_PORT, PIN_LABEL, sampleStack } from './sample.ts';

export class ManifestStackDeployer implements StackDeployer {
  readonly cwd: string;
  constructor(options: { cwd: string }) {
    this.cwd = options.cwd;
  }

  async deploy(scenario: Scenario, cluster: ClusterHandle, options: { signal: AbortSignal; bus: EventBus; cleanup: CleanupStack }): Promise<StackInfo> {
    const { namespace, variant } = scenario.stack;
    const kubeconfig = cluster.ref.kubeconfig;
    const kubectl = (args: string[], input?: string) => must('kubectl', ['--kubeconfig', kubeconfig, ...args], { signal: options.signal, ...(input !== undefined && { input }) });
    const machines = await cluster.nodes.list();
    const workers = machines.filter((m) => m.role === 'worker').map((m) => m.name);
    // A previous run on this cluster may still be deleting the namespace.
    await exec('kubectl', ['--kubeconfig', kubeconfig, 'wait', '--for=delete', `namespace/${namespace}`, '--timeout=180s'], { signal: options.signal });
    options.cleanup.register('run', 'stack/delete', { kubeconfig, namespace, nodes: workers }, `delete stack namespace ${namespace}`);

    if (scenario.stack.sample) {
      await ensureImageInNodes(agentImage(), machines.filter((m) => m.running).map((m) => m.name), options.bus);
      if (variant === 'never-ready') {
        // Pin the backend to one worker: once that node goes, its pods can never come back.
        const target = workers.find((w) => !/spare/.test(w)) ?? workers[0];
        if (!target) throw new InfraError('the never-ready variant needs a worker node');
        await kubectl(['label', 'node', target, `${PIN_LABEL}=true`, '--overwrite']);
      }
      const yaml = sampleStack(namespace, variant).map((o) => stringify(o)).join('---\n');
      await kubectl(['apply', '-f', '-'], yaml);
    }
    for (const manifest of scenario.stack.manifests) {
      await kubectl(['apply', '-n', namespace, '-f', resolve(dirname(resolve(this.cwd, scenario.file)), manifest)]);
    }
    const names = (await kubectl(['-n', namespace, 'get', 'deployments', '-o', 'jsonpath={.items[*].metadata.name}'])).split(/\s+/).filter(Boolean);
    const deployments = scenario.stack.deployments.length ? scenario.stack.deployments : names;
    for (const name of deployments) {
      const out = await exec('kubectl', ['--kubeconfig', kubeconfig, '-n', namespace, 'rollout', 'status', `deployment/${name}`, '--timeout=180s'], { signal: options.signal });
      if (out.exitCode !== 0) {
        const pods = await exec('kubectl', ['--kubeconfig', kubeconfig, '-n', namespace, 'get', 'pods', '-o', 'wide']);
        throw new InfraError(`deployment ${name} did not become ready: ${(out.stderr || out.stdout).trim()}\n${pods.stdout}`);
      }
    }
    options.bus.log('info', `stack ready in namespace ${namespace}: ${deployments.join(', ')}${scenario.stack.sample ? ` (sample, ${variant})` : ''}`);
    const controlPlane = machines.find((m) => m.role === 'control-plane');
    const ip = controlPlane ? (await must('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', controlPlane.name])).trim().split(' ')[0] : undefined;
    const port = scenario.load?.target.service === 'frontend' && scenario.stack.sample ? FRONTEND_NODE_PORT : await nodePort(kubectl, namespace, scenario);
    const declaredPolicies = [
      ...(scenario.stack.sample ? sampleStack(namespace, 'healthy').filter((o) => o.kind === 'NetworkPolicy') : []),
      ...(await manifestPolicies(scenario, this.cwd, namespace)),
    ];
    return { namespace, deployments, declaredPolicies, ...(ip && port && { targetUrl: `http://${ip}:${port}${scenario.load?.target.path ?? '/'}` }) };
  }
}

/** NetworkPolicies in the user's manifests, in the stack namespace unless they name one. */
async function manifestPolicies(scenario: Scenario, cwd: string, namespace: string): Promise<unknown[]> {
  const policies: unknown[] = [];
  for (const manifest of scenario.stack.manifests) {
    const text = await readFile(resolve(dirname(resolve(cwd, scenario.file)), manifest), 'utf8').catch(() => '');
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as { kind?: string; metadata?: { namespace?: string } } | null;
      if (object?.kind === 'NetworkPolicy') policies.push({ ...object, metadata: { ...object.metadata, namespace: object.metadata?.namespace ?? namespace } });
    }
  }
  return policies;
}

async function nodePort(kubectl: (args: string[]) => Promise<string>, namespace: string, scenario: Scenario): Promise<number | undefined> {
  if (!scenario.load) return undefined;
  const { service, port } = scenario.load.target;
  const out = await kubectl(['-n', namespace, 'get', 'service', service, '-o', `jsonpath={.spec.ports[?(@.port==${port})].nodePort}`]).catch(() => '');
  const value = Number(out.trim());
  if (!value) throw new InfraError(`load.target: service ${namespace}/${service} has no NodePort for port ${port}; the load runs on this machine and reaches the cluster through a NodePort`);
  return value;
}

// Deploys the stack a scenario names (the sample stack and/or the user's
// manifests): makes the namespace when it is not there, puts the images the
// stack runs into the nodes, applies with `kubectl apply` (what a user would
// run on their manifests), and waits through the API until every deployment
// is rolled out.
import { dirname, resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { InfraError } from '../errors.ts';
import type { ClusterHandle } from '../core/cluster.ts';
import type { Scenario } from '../scenario/model.ts';
import type { EventBus } from '../core/events.ts';
import type { Reverts } from '../core/reverts.ts';
import type { StackDeployer, StackInfo } from './types.ts';
import { must } from '../tools/exec.ts';
import { abortableBy, loadKubeConfig } from '../kube/client.ts';
import { imagesIn, type ImageUse } from './manifest-images.ts';
import { declaredTwice, lastWins, SAMPLE_ORIGIN, stackSources } from './declared-twice.ts';
import { policiesIn } from './manifests.ts';
import { kubectlTarget } from './kubectl.ts';
import { ensureNamespace } from './namespace.ts';
import { pinBackend } from './pin-node.ts';
import { checkLoadTarget } from './target-check.ts';
import { checkLoadPath } from './load-path/read.ts';
import type { PathCut } from './load-path/judge.ts';
import { deploymentNames, waitForRollout } from './rollout.ts';
import { agentImage, FRONTEND_NODE_PORT, sampleStack } from './sample.ts';
import pRetry from 'p-retry';

const NODE_PORT_TAKEN = /provided port is already allocated/;

export class ManifestStackDeployer implements StackDeployer {
  readonly cwd: string;
  constructor(options: { cwd: string }) {
    this.cwd = options.cwd;
  }

  async deploy(scenario: Scenario, cluster: ClusterHandle, options: { signal: AbortSignal; bus: EventBus; cleanup: Reverts }): Promise<StackInfo> {
    const { namespace, variant } = scenario.stack;
    const { signal } = options;
    const target = kubectlTarget(cluster.ref);
    const kubectl = (args: string[], input?: string) => must('kubectl', [...target, ...args], { signal, ...(input !== undefined && { input }) });
    const config = loadKubeConfig(cluster.ref.kubeconfig, cluster.ref.context);
    const api = { core: config.makeApiClient(CoreV1Api), apps: config.makeApiClient(AppsV1Api) };
    const machines = await cluster.nodes.list();
    const workers = machines.filter((m) => m.role === 'worker').map((m) => m.name);
    const manifestPaths = scenario.stack.manifests.map((m) => resolve(dirname(resolve(this.cwd, scenario.file)), m));
    const sources = await stackSources(scenario, this.cwd);
    const objects = sources.filter((s) => s.origin !== SAMPLE_ORIGIN).flatMap((s) => s.objects);
    for (const line of declaredTwice(sources, namespace)) options.bus.log('warn', line);

    options.cleanup.register('run', 'stack/delete', { kubeconfig: cluster.ref.kubeconfig, ...(cluster.ref.context && { context: cluster.ref.context }), namespace, nodes: workers }, `delete stack namespace ${namespace}`);
    if ((await ensureNamespace(api.core, namespace, signal)) === 'created') options.bus.log('info', `created namespace ${namespace} (Pod Security: restricted)`);

    if (scenario.stack.sample) await cluster.loadImages([agentImage()], options.bus);
    await loadManifestImages(imagesIn(objects), cluster, options.bus);

    if (scenario.stack.sample) {
      if (variant === 'never-ready') await pinBackend(api.core, signal);
      const yaml = sampleStack(namespace, variant)
        .map((o) => stringify(o))
        .join('---\n');
      // The load's NodePort is one per cluster: a sample stack still being deleted (`shakedown cleanup`
      // deletes without waiting) holds it for a while. Wait that out rather than fail the run.
      let told = false;
      await pRetry(() => kubectl(['apply', '-f', '-'], yaml), {
        retries: 30,
        minTimeout: 3000,
        maxTimeout: 3000,
        signal,
        shouldRetry: ({ error }) => NODE_PORT_TAKEN.test(error.message),
        onFailedAttempt: ({ error }) => {
          if (told || !NODE_PORT_TAKEN.test(error.message)) return;
          told = true;
          options.bus.log('info', `NodePort ${FRONTEND_NODE_PORT} is still held (a sample stack being deleted?); waiting for it`);
        },
      });
    }
    for (const path of manifestPaths) await kubectl(['apply', '-n', namespace, '-f', path]);
    const deployments = scenario.stack.deployments.length ? scenario.stack.deployments : await deploymentNames(api, namespace, signal);
    for (const name of deployments) await waitForRollout(api, namespace, name, signal);
    options.bus.log('info', `stack ready in namespace ${namespace}: ${deployments.join(', ')}${scenario.stack.sample ? ` (sample, ${variant})` : ''}`);
    const ip = await cluster.nodePortHost();
    // A target that is not there fails the steady state with its field named, not the deploy.
    const loadTarget = scenario.load ? await checkLoadTarget(config, namespace, scenario.load.target, signal) : undefined;
    // Stray policies are said with or without load; the path is judged only toward a target that is there.
    const pathCuts = await loadPathCuts(config, namespace, scenario.load && !loadTarget?.missing ? scenario.load.target : undefined, options.bus);
    const port = loadTarget?.missing ? undefined : scenario.load?.target.service === 'frontend' && scenario.stack.sample ? FRONTEND_NODE_PORT : await nodePort(api.core, namespace, scenario, signal);
    // The design the policies are judged against: the healthy sample's, overridden by the user's where both name one.
    const declaredPolicies = lastWins([...(scenario.stack.sample ? sampleStack(namespace, 'healthy').filter((o) => o.kind === 'NetworkPolicy') : []), ...policiesIn(objects, namespace)], namespace);
    return { namespace, deployments, declaredPolicies, ...(ip && port && { targetUrl: `http://${ip}:${port}${scenario.load?.target.path ?? '/'}` }), ...(loadTarget && { targetProblem: loadTarget.text }), ...(pathCuts.length && { pathCuts }) };
  }
}

/** The load path judged against the stack's policies; said at once, since every request that needs a cut hop fails. Best effort: unreadable, it says so. */
async function loadPathCuts(config: KubeConfig, namespace: string, target: { service: string; port: number } | undefined, bus: EventBus): Promise<PathCut[]> {
  try {
    const { cuts, stray } = await checkLoadPath(config, namespace, target);
    for (const line of stray) bus.log('warn', line);
    for (const cut of cuts) bus.log('warn', `${cut.cause}; fix: ${cut.fix}`);
    return cuts;
  } catch (error) {
    bus.log('warn', `could not judge the load path against the stack's NetworkPolicies: ${(error as Error).message}`);
    return [];
  }
}

/** The images the user's manifests run: loaded when this machine's engine holds them, named when it does not. */
async function loadManifestImages(uses: ImageUse[], cluster: ClusterHandle, bus: EventBus): Promise<void> {
  if (!uses.length) return;
  const missing = await cluster.loadImages(
    uses.map((u) => u.image),
    bus,
  );
  if (missing.length) bus.log('warn', `not in the local Docker engine, so not loaded into the nodes (they may still be pullable): ${missing.join(', ')}`);
  for (const use of uses.filter((u) => u.pullsAlways && !missing.includes(u.image))) {
    bus.log('warn', `${use.image} is loaded into the nodes, but its pull policy is Always (said, or the default for an untagged or :latest image): the kubelet will try to pull it anyway; set imagePullPolicy: IfNotPresent`);
  }
}

async function nodePort(core: CoreV1Api, namespace: string, scenario: Scenario, signal: AbortSignal): Promise<number | undefined> {
  if (!scenario.load) return undefined;
  const { service, port } = scenario.load.target;
  // A service that is missing or unreadable has no NodePort either: the message below says what the load needs.
  const found = await core.readNamespacedService({ namespace, name: service }, abortableBy(signal)).catch(() => {
    if (signal.aborted) throw signal.reason;
    return undefined;
  });
  const value = found?.spec?.ports?.find((p) => p.port === port)?.nodePort;
  if (!value) throw new InfraError(`load.target: service ${namespace}/${service} has no NodePort for port ${port}; the load runs on this machine and reaches the cluster through a NodePort`);
  return value;
}

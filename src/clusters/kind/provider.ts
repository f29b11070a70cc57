// The kind cluster provider: create (on a fenced network where needed),
// reuse, attach, delete. Everything it makes is named after the cluster so
// delete can find and remove exactly that, idempotently.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Health } from '@kubernetes/client-node';
import pRetry from 'p-retry';
import { stringify } from 'yaml';
import { InfraError, withCauses } from '../../errors.ts';
import type { EventBus } from '../../core/events.ts';
import type { ClusterProvider } from '../types.ts';
import type { ClusterSpecT } from '../../scenario/schema.ts';
import { exec, must } from '../../tools/exec.ts';
import { PROJECT_ROOT } from '../../tools/paths.ts';
import type { ClusterHandle, ClusterRef } from '../../core/cluster.ts';
import { missingTools } from '../cni/host-tools.ts';
import { CNI_REGISTRY } from '../cni/registry.ts';
import type { Cni } from '../cni/types.ts';
import { CONFIG_HASH_LABEL, buildKindConfig, podSubnetOf } from './config.ts';
import { ensureNetwork, installFence, removeFence, removeNetwork } from './fence.ts';
import { resolveNodeImage, type NodeImage } from './image.ts';
import { requireImageVersion } from './version-check.ts';
import { KindCluster } from './cluster.ts';
import { kubectl, waitForCluster } from './ready.ts';
import { containerNetworks, containersLabelled, dockerImagePresent, dockerUsable, engineReason, pullImage } from './engine.ts';
import { ClientKubeApi, loadKubeConfig } from '../../kube/client.ts';
import { ensureInotifyLimits } from './host-limits.ts';
import { pin } from '../../tools/versions.ts';

export interface KindProviderOptions {
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  /** How long nodes and system pods may take to become ready. */
  readyTimeoutSeconds?: number;
}

/** kind labels each node container with the cluster it belongs to. */
const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';

/** 35 for v1.35.4; 0 when unknown. */
function minorOf(version: string | undefined): number {
  return Number(/^v1\.(\d+)\./.exec(version ?? '')?.[1] ?? 0);
}

export function networkName(cluster: string): string {
  return `shakedown-${cluster}`;
}

/** How a ledger names a kind cluster of ours before it exists (the kubeconfig comes once it does). */
export function kindClusterRef(name: string): ClusterRef {
  return { provider: 'kind', name, kubeconfig: '', network: networkName(name), owned: true };
}

export async function kindClusters(): Promise<string[]> {
  const out = await exec('kind', ['get', 'clusters']);
  return out.exitCode === 0
    ? out.stdout
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s && !s.startsWith('No kind clusters'))
    : [];
}

export class KindProvider implements ClusterProvider {
  readonly options: KindProviderOptions;
  constructor(options: KindProviderOptions) {
    this.options = options;
  }

  /** SHAKEDOWN_READY_TIMEOUT_SECONDS overrides, e.g. to see the not-Ready path end cleanly. */
  readyTimeout(): number {
    const env = Number((this.options.env ?? process.env).SHAKEDOWN_READY_TIMEOUT_SECONDS);
    return env > 0 ? env : (this.options.readyTimeoutSeconds ?? 180);
  }

  kubeconfigPath(name: string): string {
    return join(this.options.stateDir, 'clusters', name, 'kubeconfig');
  }

  async attach(ref: ClusterRef): Promise<ClusterHandle> {
    if (ref.provider !== 'kind') throw new InfraError(`kind provider cannot attach to a ${ref.provider} cluster`);
    return new KindCluster(ref);
  }

  async ensure(spec: ClusterSpecT, options: { name: string; runId: string; reuse: boolean; signal: AbortSignal; bus: EventBus }): Promise<{ handle: ClusterHandle; created: boolean }> {
    const { name, bus } = options;
    const started = Date.now();
    if (!(await dockerUsable())) {
      throw new InfraError('no usable Docker engine: start one, or run `task tools` (installs and starts Debian docker.io where it can)');
    }
    const low = ensureInotifyLimits();
    if (low.length) bus.log('warn', `inotify limits are low and could not be raised (kube-proxy may fail with "too many open files"): ${low.join(', ')}; raise them with sysctl as root`);
    const wanted = CNI_REGISTRY[spec.cni];
    const image = await resolveNodeImage(spec.image, this.options.env, { upstream: wanted?.images === 'registry', ...(spec.kubernetesVersion && { version: spec.kubernetesVersion }) });
    if (spec.kubernetesVersion) requireImageVersion(image, spec.kubernetesVersion, { ...(wanted?.images === 'registry' && { registryCni: wanted.name }) });
    await ensureImagePresent(image.image, options.signal, wanted);
    const cni = chooseCni(spec.cni, image);
    const fenced = spec.fence === 'on' || (spec.fence === 'auto' && image.source === 'built-locally');
    const config = this.#config(name, cni, spec, image);
    const network = fenced ? networkName(name) : 'kind';
    const ref: ClusterRef = { provider: 'kind', name, kubeconfig: this.kubeconfigPath(name), network, owned: true };

    if ((await kindClusters()).includes(name)) {
      const match = await this.#reusable(name, config.hash);
      if (!options.reuse) {
        throw new InfraError(`a kind cluster named ${name} already exists; pass --reuse to use it, or delete it with \`shakedown cluster down --name ${name}\``);
      }
      if (!match.ok) throw new InfraError(`cannot reuse kind cluster ${name}: ${match.why}`);
      const handle = new KindCluster({ ...ref, network: match.network ?? network }, { cni: cni.name });
      await handle.ensureRunning();
      if (fenced) await installFence(name, (await ensureNetwork(name, network)).bridge);
      await waitForCluster(ref.kubeconfig, { timeoutSeconds: this.readyTimeout(), signal: options.signal, fenced });
      bus.log('info', `reused kind cluster ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { handle, created: false };
    }

    // Before anything is made: a CNI that cannot be installed makes no cluster.
    const missing = await missingTools(cni);
    if (missing.length) throw new InfraError(`CNI ${cni.name} installs with ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not on PATH: install ${missing.length === 1 ? 'it' : 'them'}, or use another CNI`);
    const handle = new KindCluster(ref, { cni: cni.name });
    try {
      if (fenced) {
        const net = await ensureNetwork(name, network);
        await installFence(name, net.bridge);
        bus.log('info', `fence: network ${network} (${net.subnet}, bridge ${net.bridge}); traffic leaving it is rejected`);
      }
      mkdirSync(join(this.options.stateDir, 'clusters', name), { recursive: true });
      writeFileSync(join(this.options.stateDir, 'clusters', name, 'kind-config.yaml'), config.yaml);
      bus.log('info', `creating kind cluster ${name}: ${image.image} (${image.source}), CNI ${cni.name}, ${spec.workers} workers + ${spec.spare} spare${fenced ? ', fenced' : ''}`);
      await must('kind', ['create', 'cluster', '--name', name, '--image', image.image, '--kubeconfig', ref.kubeconfig, '--config', '-', '--retain'], {
        input: config.yaml,
        signal: options.signal,
        env: { ...(fenced && { KIND_EXPERIMENTAL_DOCKER_NETWORK: network }) },
      });
      await cni.install?.({ kubeconfig: ref.kubeconfig, podSubnet: podSubnetOf(config.yaml), imageRepository: image.imageRepository, signal: options.signal, log: (m) => bus.log('info', m) });
      await waitForCluster(ref.kubeconfig, { timeoutSeconds: this.readyTimeout(), signal: options.signal, fenced, onDnsPatched: () => bus.log('info', 'CoreDNS: no upstream forwarding on a fenced cluster') });
      if (image.imageRepository) await applyMetricsServer(ref.kubeconfig, image.imageRepository, options.signal);
      bus.log('info', `kind cluster ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { handle, created: true };
    } catch (error) {
      // Nothing left behind: a half-made cluster, its network and rules go.
      const logs = join(this.options.stateDir, 'clusters', name, 'failed-create-logs');
      await handle.collectLogs(logs).catch(() => {});
      await handle.delete().catch(() => {});
      if (options.signal.aborted) throw error;
      throw error instanceof InfraError ? new InfraError(`${error.message}\n(node logs kept in ${logs})`) : error;
    }
  }

  #config(name: string, cni: Cni, spec: ClusterSpecT, image: NodeImage) {
    // Locally built control-plane images live under a bare prefix.
    const kubeadmPatches = image.imageRepository ? [stringify({ kind: 'ClusterConfiguration', imageRepository: image.imageRepository })] : [];
    // From v1.35 the kubelet refuses to start on a cgroup v1 host unless told it may (some of these machines are v1).
    // Said from v1.31 (the field's first) on such hosts too, so a cluster upgraded in place keeps it in its kubelet-config.
    const minor = minorOf(image.kubernetesVersion);
    if (minor >= 35 || (minor >= 31 && !existsSync('/sys/fs/cgroup/cgroup.controllers'))) kubeadmPatches.push(stringify({ kind: 'KubeletConfiguration', failCgroupV1: false }));
    return buildKindConfig({ cluster: name, cni: cni.name, workers: spec.workers, spare: spec.spare, kubeadmPatches, image: image.image });
  }

  async #reusable(name: string, hash: string): Promise<{ ok: true; network?: string } | { ok: false; why: string }> {
    const kubeconfig = this.kubeconfigPath(name);
    if (!existsSync(kubeconfig)) {
      const out = await exec('kind', ['get', 'kubeconfig', '--name', name]);
      if (out.exitCode !== 0) return { ok: false, why: 'cannot read its kubeconfig' };
      mkdirSync(join(this.options.stateDir, 'clusters', name), { recursive: true });
      writeFileSync(kubeconfig, out.stdout);
    }
    const [first] = await containersLabelled(KIND_CLUSTER_LABEL, name).catch(() => []);
    if (!first) return { ok: false, why: 'it has no node containers' };
    // A stopped or just-restarted cluster: bring its nodes up and wait for its API before judging it.
    await new KindCluster({ provider: 'kind', name, kubeconfig, owned: false }).ensureRunning();
    const api = await apiNotReady(kubeconfig);
    if (api) return { ok: false, why: `its API server does not answer: ${api}` };
    const hashes = await configHashes(name, kubeconfig);
    if (hashes.size === 0) return { ok: false, why: 'shakedown did not create it (its nodes lack the shakedown.dev/config-hash label); faults are never aimed at a cluster shakedown did not create' };
    if (!hashes.has(hash) || hashes.size !== 1) return { ok: false, why: `it was created with another config (hash ${[...hashes].join(',')}, want ${hash})` };
    const [network] = await containerNetworks(first).catch(() => []);
    return { ok: true, ...(network && { network }) };
  }
}

/** Why the API server is not ready after a minute of asking, or undefined once it is: a just-restarted cluster takes a while. */
async function apiNotReady(kubeconfig: string): Promise<string | undefined> {
  const health = new Health(loadKubeConfig(kubeconfig));
  const ready = async () => {
    // A local API server answers in milliseconds; the bound keeps a black-holed address from stretching the minute.
    if (!(await health.readyz({ signal: AbortSignal.timeout(5_000) }))) throw new Error('/readyz did not answer 200 OK');
  };
  return pRetry(ready, { retries: 60, minTimeout: 1000, maxTimeout: 1000 }).then(
    () => undefined,
    (error: unknown) => withCauses(error),
  );
}

/** The shakedown config hashes the cluster's nodes carry (none: shakedown did not create it). */
async function configHashes(name: string, kubeconfig: string): Promise<Set<string>> {
  const nodes = await new ClientKubeApi(loadKubeConfig(kubeconfig)).listNodes().catch((error: unknown) => {
    throw new InfraError(`cannot list the nodes of kind cluster ${name}: ${withCauses(error)}`);
  });
  return new Set(nodes.map((node) => node.labels[CONFIG_HASH_LABEL]).filter((hash): hash is string => Boolean(hash)));
}

/** The CNI to boot with: the one asked for, if the node image can run it; `auto` picks by image. */
export function chooseCni(requested: string, image: NodeImage): Cni {
  // Locally built node images carry kube-router and preload its image; the
  // other CNIs' images come from public registries.
  const local = image.source === 'built-locally' || Boolean(image.imageRepository);
  const cni = requested === 'auto' ? CNI_REGISTRY[local ? 'kube-router' : 'kindnet'] : CNI_REGISTRY[requested];
  if (!cni) throw new InfraError(`unknown CNI ${requested} (known: ${Object.keys(CNI_REGISTRY).join(', ')})`);
  if (cni.images === 'registry' && local) {
    throw new InfraError(`CNI ${cni.name} needs images from a public registry, and node image ${image.image} is one built here; leave cluster.image unset so shakedown takes kind's upstream node image, or use --cni kube-router`);
  }
  if (cni.images === 'local' && !local) {
    throw new InfraError(`CNI ${cni.name} runs from images built on this machine, and node image ${image.image} is not one of them; build them with \`task cluster:images\` and leave cluster.image unset`);
  }
  return cni;
}

export function readKubeconfig(path: string): string {
  return readFileSync(path, 'utf8');
}

export { PROJECT_ROOT, removeFence, removeNetwork };

/** The node image must be here, or pullable; say which and how to get one before anything is created. */
async function ensureImagePresent(image: string, signal: AbortSignal, cni: Cni | undefined): Promise<void> {
  if (await dockerImagePresent(image)) return;
  const failure = await pullImage(image, { signal, timeoutMs: 300_000 }).then(
    () => undefined,
    (error: unknown) => engineReason(error),
  );
  if (failure !== undefined) {
    const why = failure.split('\n').at(-1);
    const remedy =
      cni?.images === 'registry'
        ? `CNI ${cni.name} needs kind's upstream node image and its own images from public registries, which this machine cannot reach; here, use --cni kube-router (built by \`task cluster:images\`)`
        : 'build one here with `task cluster:images`, or name a present image in cluster.image';
    throw new InfraError(`node image ${image} is not on this machine and cannot be pulled (${why}); ${remedy}`);
  }
}

/** metrics-server for HPAs, from the locally built image; not waited for (HPA checks wait for metrics themselves). */
async function applyMetricsServer(kubeconfig: string, repository: string, signal: AbortSignal): Promise<void> {
  const manifest = readFileSync(join(PROJECT_ROOT, 'clusters', 'manifests', 'metrics-server.yaml'), 'utf8').replace(/image: IMAGE/, `image: ${repository}/metrics-server:${pin('METRICS_SERVER_VERSION')}`);
  await kubectl(kubeconfig, ['apply', '-f', '-'], { input: manifest, signal });
}

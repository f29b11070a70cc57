// rolling-upgrade: the cluster taken to a new Kubernetes version the way a
// kubeadm cluster is upgraded, under whatever load the scenario runs. The
// new binaries and images are carried into every node first (no registry);
// then node by node, control plane first: cordon, drain through the Eviction
// API (PodDisruptionBudgets apply: unlike kinder, the drain is not skipped),
// `kubeadm upgrade apply|node`, the new kubelet, restart, Ready at the new
// version, uncordon. It cannot be undone in place: the revert only
// uncordons a node left mid-drain, and the teardown deletes the cluster.
import { z } from 'zod';
import { sleep } from '../../core/abort.ts';
import { InfraError } from '../../errors.ts';
import { duration, durationText } from '../../scenario/duration.ts';
import { drainPod, evictable } from '../shared/drain.ts';
import type { FaultContext, FaultType } from '../types.ts';
import { buildCommand, hostBinaries, stagedDir, upgradeImages } from './artifacts.ts';
import { kubeadmUpgrade, replaceKubelet, stageBinaries } from './node-steps.ts';
import { upgradeOrder, versionStep } from './versions.ts';

const Params = z
  .strictObject({
    to: z
      .string()
      .regex(/^v\d+\.\d+\.\d+$/, 'a Kubernetes version such as v1.35.4')
      .describe('the version to upgrade to: the same minor as the cluster or the next one (kubeadm upgrades one minor at a time)'),
    drainTimeout: duration({ min: 1000 }).default(120_000).describe("how long one node's drain may wait on PodDisruptionBudgets before the upgrade stops there, as `kubectl drain --timeout` would"),
    readyTimeout: duration({ min: 1000 }).default(180_000).describe('how long an upgraded node may take to be Ready at the new version'),
    apiSettle: duration({ min: 1000 })
      .default(30_000)
      .describe("how long the API server must answer /readyz without a break after a control-plane node's upgrade before the next node is drained (the new kubelet may restart the static pods after the node reports Ready)"),
  })
  .refine((p) => p.apiSettle < p.readyTimeout, { message: 'must be shorter than readyTimeout, within which the API server must have answered steadily', path: ['apiSettle'] });
type Params = z.output<typeof Params>;

/** A drain that ended the upgrade at a node, its message already saying where. */
class DrainStopped extends Error {}

export interface NodeUpgrade {
  node: string;
  evicted: number;
  drainMs: number;
  upgradeMs: number;
  from?: string;
}

async function drainNode(ctx: FaultContext, node: string, params: Params): Promise<{ evicted: number; ms: number }> {
  const started = Date.now();
  await ctx.kube.setUnschedulable(node, true);
  ctx.disrupt({ kind: 'evictions-begin', nodes: [node], message: `upgrade: draining ${node}` });
  const pods = (await ctx.kube.listPods({ nodeName: node })).filter(evictable);
  const deadline = AbortSignal.any([ctx.signal, AbortSignal.timeout(params.drainTimeout)]);
  const records = await Promise.all(pods.map((pod) => drainPod(ctx, pod, deadline)));
  ctx.signal.throwIfAborted();
  const blocked = records.filter((r) => r.outcome === 'blocked-at-termination');
  if (blocked.length) {
    throw new DrainStopped(`the drain of ${node} did not finish within ${durationText(params.drainTimeout)}, so the upgrade stops there as kubectl drain would: ${blocked.map((r) => `${r.pod}${r.blockedBy ? ` (${r.blockedBy})` : ''}`).join('; ')}`);
  }
  // kubectl drain waits for the evicted pods to be gone, within the same --timeout; pods still there fail it.
  const until = started + params.drainTimeout;
  for (;;) {
    const left = (await ctx.kube.listPods({ nodeName: node })).filter((p) => p.ownerKind !== 'DaemonSet' && !p.mirror);
    if (!left.length) break;
    if (Date.now() >= until) {
      throw new DrainStopped(
        `the drain of ${node} did not finish within ${durationText(params.drainTimeout)}, so the upgrade stops there as kubectl drain would: evicted but still on the node (terminating): ${left.map((p) => `${p.namespace}/${p.name}`).join(', ')}`,
      );
    }
    await sleep(Math.min(1000, until - Date.now()), ctx.signal);
  }
  return { evicted: records.filter((r) => r.outcome === 'evicted').length, ms: Date.now() - started };
}

async function readyAtVersion(ctx: FaultContext, node: string, version: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = 'not seen';
  while (Date.now() < until) {
    const found = (await ctx.kube.listNodes().catch(() => [])).find((n) => n.name === node);
    if (found?.ready && found.kubeletVersion === version) return;
    if (found) seen = `${found.ready ? 'Ready' : 'NotReady'}, kubelet ${found.kubeletVersion ?? 'unknown'}`;
    await sleep(2000, ctx.signal);
  }
  throw new Error(`${node} was not Ready at ${version} within ${durationText(timeoutMs)} (last seen: ${seen})`);
}

/**
 * Waits until the API server has answered /readyz without a break for
 * `params.apiSettle`, within `params.readyTimeout`. Seen on a real v1.34 to
 * v1.35 rehearsal: the control-plane node was Ready at the new version, and
 * the next drain's first call still failed (`fetch failed`, then 403 while
 * RBAC was not yet loaded): the API server went away after the node said Ready.
 */
async function apiSettled(ctx: FaultContext, node: string, params: Params): Promise<{ ms: number; breaks: number }> {
  const started = Date.now();
  const until = started + params.readyTimeout;
  let answeringSince: number | undefined = started;
  let breaks = 0;
  for (;;) {
    const up = await ctx.kube.answers(AbortSignal.any([ctx.signal, AbortSignal.timeout(2000)]));
    ctx.signal.throwIfAborted();
    const now = Date.now();
    if (!up) {
      if (answeringSince !== undefined) breaks += 1;
      answeringSince = undefined;
    } else answeringSince ??= now;
    if (answeringSince !== undefined && now - answeringSince >= params.apiSettle) return { ms: now - started, breaks };
    if (now >= until) {
      throw new Error(`the API server did not answer /readyz steadily for ${durationText(params.apiSettle)} within ${durationText(params.readyTimeout)} after ${node} was upgraded (${breaks} breaks seen)`);
    }
    await sleep(1000, ctx.signal);
  }
}

export const rollingUpgrade: FaultType<Params> = {
  type: 'rolling-upgrade',
  summary: 'Upgrade the cluster to another Kubernetes version as kubeadm does, node by node, draining each through the Eviction API',
  params: Params,
  describe(params, fault) {
    const to = params.to;
    return [
      `T+${durationText(fault.at)} carry ${to}'s kubeadm, kubelet and kubectl into every node (under ${stagedDir(to)}) and load its images`,
      `  control plane first: cordon, drain through the Eviction API (PDBs apply, up to ${durationText(params.drainTimeout)}), kubeadm upgrade apply ${to}, new kubelet, restart, Ready at ${to}, the API server answering steadily for ${durationText(params.apiSettle)}, uncordon`,
      `  then each worker in turn: cordon, drain, kubeadm upgrade node, new kubelet, restart, Ready at ${to} (up to ${durationText(params.readyTimeout)}), uncordon`,
      `  not undone in place: the cluster stays at ${to}; a node left mid-drain is uncordoned, and the teardown deletes a cluster this run created`,
    ];
  },
  async inject(ctx, params) {
    const to = params.to;
    const nodes = await ctx.kube.listNodes();
    const step = versionStep(
      nodes.map((n) => n.kubeletVersion),
      to,
    );
    if ('refused' in step) throw new InfraError(`rolling-upgrade (params.to): ${step.refused}`);
    ctx.detail('from', step.from);
    ctx.detail('to', to);
    const binaries = hostBinaries(to);
    if (binaries.missing.length) throw new InfraError(`rolling-upgrade: ${binaries.missing.join(', ')} of ${to} are not built on this machine (${binaries.dir}): run \`${buildCommand(to)}\``);
    const images = upgradeImages(to);
    if (!images.length) throw new InfraError(`rolling-upgrade (params.to): the build knows no etcd, CoreDNS and pause pins for ${to}'s minor (clusters/build/versions.env)`);
    const missing = await ctx.loadImages(images);
    if (missing.length) throw new InfraError(`rolling-upgrade: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the local Docker engine, and the nodes have no registry to pull from: run \`${buildCommand(to)}\``);
    const machines = await ctx.nodes.list();
    const order = upgradeOrder(machines);
    for (const node of order) await stageBinaries(ctx.nodes, node.name, to);
    ctx.bus.log('info', `rolling-upgrade: ${to} staged in ${order.length} nodes; upgrading ${order.map((n) => n.name).join(', ')} in turn`);

    const done: NodeUpgrade[] = [];
    for (const [i, node] of order.entries()) {
      const started = Date.now();
      const from = nodes.find((n) => n.name === node.name)?.kubeletVersion;
      if (from === to && i > 0) continue;
      ctx.bus.emit({ kind: 'fault', faultId: ctx.fault.id, type: 'rolling-upgrade', state: 'active', message: `upgrading ${node.name} (${i + 1} of ${order.length}) to ${to}` });
      const uncordon = ctx.cleanup.register(ctx.fault.id, 'rolling-upgrade/uncordon', { node: node.name }, `uncordon ${node.name}`);
      // An API error on its own ("fetch failed") would not say where the upgrade stopped.
      const drained = await drainNode(ctx, node.name, params).catch((error: Error) => {
        throw error instanceof DrainStopped || ctx.signal.aborted ? error : new DrainStopped(`the drain of ${node.name} failed, so the upgrade stops there: ${error.message}`, { cause: error });
      });
      await kubeadmUpgrade(ctx.nodes, node.name, to, i === 0);
      await replaceKubelet(ctx.nodes, node.name, to);
      await readyAtVersion(ctx, node.name, to, params.readyTimeout);
      if (node.role === 'control-plane') {
        const settled = await apiSettled(ctx, node.name, params);
        ctx.bus.log(
          'info',
          `rolling-upgrade: the API server answered steadily for ${durationText(params.apiSettle)}, ${Math.round(settled.ms / 1000)} s after ${node.name} was Ready at ${to} (${settled.breaks} ${settled.breaks === 1 ? 'break' : 'breaks'} before that)`,
        );
      }
      await ctx.kube.setUnschedulable(node.name, false);
      ctx.cleanup.forget(uncordon);
      done.push({ node: node.name, evicted: drained.evicted, drainMs: drained.ms, upgradeMs: Date.now() - started, ...(from && { from }) });
      ctx.detail('nodes', done);
      ctx.bus.log('info', `rolling-upgrade: ${node.name} at ${to} after ${Math.round((Date.now() - started) / 1000)} s (drain ${Math.round(drained.ms / 1000)} s, ${drained.evicted} pods evicted)`);
    }
    ctx.detail('upgradedAt', Date.now());
  },
  reverts: {
    uncordon: async (args: { node: string }, ctx) => {
      await ctx.kube!.setUnschedulable(args.node, false);
    },
  },
};

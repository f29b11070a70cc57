// spot-drain: what a cloud's spot reclaim does to a node.
// notice (taint, cordon, event) -> pods leave the way the provider's preset
// says: a deadline-aware drain through the Eviction API (aws: PDBs apply),
// or a graceful node shutdown that deletes them directly (gcp, azure: PDBs
// do not apply) -> at the deadline the node's machine is stopped, whatever
// is left goes with it -> optionally a spare worker is untainted as the
// replacement. Revert: start the machine, remove the taint, uncordon.
import { z } from 'zod';
import { duration, durationText } from '../../scenario/duration.ts';
import type { FaultContext, FaultType } from '../types.ts';
import { restoreNode, untaintSpare, retaintSpare } from './revert.ts';
import { pickTarget } from './target.ts';
import { isSpare, SPARE_LABEL, SPOT_TAINT } from '../../core/node-roles.ts';
import { PRESETS, resolvePreset } from './presets.ts';
import type { PodSummary } from '../../core/kube-api.ts';
import { sleep } from '../../core/abort.ts';
import { drainPod, evictable, type DrainRecord } from '../shared/drain.ts';

const Params = z.strictObject({
  provider: z.enum(['aws', 'gcp', 'azure']).default('aws').describe('how the cloud reclaims: aws drains through evictions (2 min); gcp and azure shut the node down (30 s)'),
  node: z.string().min(1).optional().describe('node to reclaim; default: the worker running most stack pods'),
  notice: duration({ min: 1000 }).optional().describe("time from the interruption notice to termination; default: the provider's"),
  mechanism: z.enum(['evict', 'shutdown']).optional().describe("evict: a handler drains (PDBs apply); shutdown: the kubelet deletes pods directly; default: the provider's"),
  terminate: z.enum(['stop', 'kill', 'none']).default('stop').describe('stop: graceful machine shutdown; kill: power cut; none: drain and taint only, the node stays (for an existing cluster, whose machines shakedown cannot stop)'),
  replacement: z.boolean().default(true).describe('untaint the spare worker when the notice arrives'),
  namespace: z.string().min(1).optional().describe('drain only pods of this namespace; default: every pod on the node'),
});
type Params = z.output<typeof Params>;

/** shutdown: the kubelet deletes ordinary pods directly (no Eviction API), each with the grace its share allows. */
async function shutdownPods(ctx: FaultContext, pods: PodSummary[], graceMs: number): Promise<DrainRecord[]> {
  const grace = Math.max(1, Math.round(graceMs / 1000));
  return Promise.all(
    pods.map(async (pod) => {
      await ctx.kube.deletePod(pod.namespace, pod.name, grace);
      return { pod: `${pod.namespace}/${pod.name}`, outcome: 'deleted-by-shutdown' as const, attempts: 1, at: Date.now() };
    }),
  );
}

/** When the node reports Ready: at once if it does, else at the first of a few cheap looks within `withinMs`; never throws. */
async function readyAt(ctx: FaultContext, node: string, withinMs: number): Promise<number | undefined> {
  const until = Date.now() + withinMs;
  while (!ctx.signal.aborted) {
    const ready = await ctx.kube.listNodes().then(
      (nodes) => nodes.some((n) => n.name === node && n.ready),
      () => false,
    );
    if (ready) return Date.now();
    if (Date.now() >= until) return undefined;
    await sleep(Math.min(2000, until - Date.now()), ctx.signal);
  }
  return undefined;
}

export const spotDrain: FaultType<Params> = {
  type: 'spot-drain',
  summary: 'Spot reclaim as a cloud does it: notice, pods leave by eviction or shutdown, then the node is terminated',
  params: Params,
  aims: (p) => (p.node ? { nodes: { names: [p.node], field: 'node' } } : {}),
  variedBy: { provider: Object.keys(PRESETS) },
  describe(params, fault) {
    const preset = resolvePreset(params.provider, params);
    const target = params.node ?? 'the worker running most stack pods';
    const end = fault.at + preset.notice;
    return [
      `${params.provider} preset: ${durationText(preset.notice)} notice, ${preset.mechanism === 'evict' ? 'drain through evictions' : 'graceful node shutdown'} (${preset.source})`,
      `T+${durationText(fault.at)} notice on ${target}: taint ${SPOT_TAINT}=true:NoSchedule, cordon, event`,
      preset.mechanism === 'evict' ? '  drain through the Eviction API (PDBs apply), retrying 429s until the deadline' : `  the kubelet deletes ordinary pods directly within ${durationText(preset.ordinaryShare)}: ${preset.note}`,
      ...(params.replacement ? ['  untaint the spare worker as the replacement'] : []),
      params.terminate === 'none'
        ? `T+${durationText(end)} deadline; the node is not terminated (terminate: none): it stays, cordoned and tainted, pods still on it keep running`
        : `T+${durationText(end)} ${params.terminate === 'kill' ? 'kill' : 'stop'} the node's machine; pods still on it are lost with it`,
      fault.duration !== undefined
        ? `T+${durationText(fault.at + fault.duration)} revert: ${params.terminate === 'none' ? '' : 'start the machine, '}remove the taint, uncordon`
        : `  revert at the end of the run: ${params.terminate === 'none' ? '' : 'start the machine, '}remove the taint, uncordon`,
    ];
  },
  async inject(ctx, params) {
    const preset = resolvePreset(params.provider, params);
    const started = Date.now();
    const node = await pickTarget(ctx, params.node, params.namespace);
    ctx.detail('node', node);
    ctx.detail('preset', { provider: params.provider, notice: preset.notice, mechanism: preset.mechanism, note: preset.note, source: preset.source });
    ctx.detail('terminate', params.terminate);
    ctx.cleanup.register(ctx.fault.id, 'spot-drain/restore-node', { node, taint: SPOT_TAINT, ...(params.terminate === 'none' && { start: false }) }, `restore node ${node} (untaint, uncordon${params.terminate === 'none' ? '' : ', start'})`);
    await ctx.kube.addTaint(node, { key: SPOT_TAINT, value: 'true', effect: 'NoSchedule' });
    await ctx.kube.setUnschedulable(node, true);
    await ctx.kube.recordNodeEvent(node, 'SpotInterruption', `shakedown: ${params.provider} spot interruption notice, terminating in ${durationText(preset.notice)}`).catch(() => {});
    ctx.detail('noticeAt', Date.now());
    // Evictions are voluntary disruptions (PDBs judge them); a shutdown's deletions are not.
    const notice = `${params.provider} notice on ${node}; terminating in ${durationText(preset.notice)}`;
    if (preset.mechanism === 'evict') ctx.disrupt({ kind: 'evictions-begin', nodes: [node], message: notice });
    else ctx.bus.emit({ kind: 'fault', faultId: ctx.fault.id, type: 'spot-drain', state: 'active', message: `${notice}; ${preset.note}` });

    if (params.replacement) {
      const spare = (await ctx.kube.listNodes()).find((n) => isSpare(n.labels) && n.name !== node);
      if (spare) {
        ctx.cleanup.register(ctx.fault.id, 'spot-drain/retaint-spare', { node: spare.name }, `taint spare ${spare.name} again`);
        await untaintSpare(ctx.kube, spare.name);
        ctx.detail('replacement', spare.name);
        void readyAt(ctx, spare.name, preset.notice).then((t) => t !== undefined && ctx.detail('replacementReadyAt', t));
      } else {
        ctx.bus.log('warn', `spot-drain: no spare worker (label ${SPARE_LABEL}=spare); no replacement`);
      }
    }

    const deadline = AbortSignal.any([ctx.signal, AbortSignal.timeout(Math.max(0, started + preset.notice - Date.now()))]);
    const pods = (await ctx.kube.listPods({ nodeName: node, ...(params.namespace && { namespace: params.namespace }) })).filter(evictable);
    const records = preset.mechanism === 'evict' ? await Promise.all(pods.map((pod) => drainPod(ctx, pod, deadline))) : await shutdownPods(ctx, pods, preset.ordinaryShare);
    if (preset.mechanism === 'shutdown') ctx.disrupt({ kind: 'pods-deleted', pods: records.map((r) => r.pod), nodes: [node], message: preset.note });
    const blocked = records.filter((r) => r.outcome === 'blocked-at-termination');
    if (blocked.length === 0) ctx.detail('drainedAt', Date.now());
    ctx.bus.log(
      blocked.length ? 'warn' : 'info',
      preset.mechanism === 'shutdown'
        ? `spot-drain: graceful shutdown deleted ${records.length} pods on ${node} directly (no Eviction API, PDBs do not apply)`
        : blocked.length
          ? `spot-drain: ${blocked.length} of ${records.length} pods still on ${node} at the deadline; blocked by: ${[...new Set(blocked.map((b) => b.blockedBy ?? 'not yet evicted'))].join('; ')}`
          : `spot-drain: drained ${records.length} pods from ${node} in ${durationText(Date.now() - started)}`,
    );

    // Wait out the notice even when the drain finished early: the cloud does.
    await sleep(started + preset.notice - Date.now(), ctx.signal);
    if (ctx.signal.aborted) {
      ctx.detail('drain', records);
      return;
    }
    if (params.terminate === 'none') {
      // Drain and taint only: the node stays, and what the drain left keeps running on it.
      ctx.detail('drain', records);
      ctx.bus.log('info', `spot-drain: notice over; ${node} stays (terminate: none), cordoned and tainted until the revert`);
      return;
    }
    await ctx.nodes.stop(node, { kill: params.terminate === 'kill', timeoutSeconds: 10 });
    // What was still there at termination went with the node.
    for (const record of blocked) record.outcome = 'lost-with-node';
    ctx.detail('drain', records);
    ctx.detail('terminatedAt', Date.now());
    ctx.disrupt({ kind: 'nodes-stopped', nodes: [node], message: `${node} terminated (${params.terminate})` });
  },
  reverts: {
    'restore-node': restoreNode,
    'retaint-spare': retaintSpare,
  },
};

// control-plane-outage: the control plane out of reach for a while, the
// workload left alone. Every packet of one port is dropped on each
// control-plane machine (iptables in its own network namespace, both ways,
// so connections already open hang as they do behind a dead load balancer):
//   - api: the API server's port on the cluster network. Kubelets, pods and
//     shakedown lose the API; the controllers and the scheduler on the same
//     machine reach it over the loopback and keep working.
//   - etcd: etcd's client port on the loopback. The API server stays up but
//     can neither read through nor write: controllers, scheduler and kubelets
//     are all blind, and the API answers with errors.
// Nothing in the API changes, so the revert (remove the chains) needs only
// the node runtime. From this process, the API is probed once a second until
// it answers again, which times the outage as shakedown saw it. If it never
// falls silent (within 10 s, or the window if shorter), the fault fails: a
// window with the API still up would pass on no evidence.
import { z } from 'zod';
import { sleep } from '../../core/abort.ts';
import { InfraError } from '../../errors.ts';
import { durationText } from '../../scenario/duration.ts';
import type { FaultContext, FaultType } from '../types.ts';
import { chains, lossCommands, removeNodeLoss } from '../packet-loss/rules.ts';

const TARGETS = {
  api: { port: 6443, device: 'eth0' as const, drop: 'TCP 6443 (the API server) on the cluster network', effect: 'kubelets, pods and shakedown lose the API' },
  etcd: { port: 2379, device: 'lo' as const, drop: 'TCP 2379 (etcd) on the loopback', effect: 'the API server answers but can neither read through nor write' },
};

const Params = z.strictObject({
  target: z.enum(['api', 'etcd']).default('api').describe("api: the API server unreachable from off its machine; etcd: the API server's store unreachable, so every controller and kubelet is blind"),
});
type Params = z.output<typeof Params>;

const PROBE_EVERY_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;
/** How long after the injection the probe keeps asking. */
const PROBE_LIMIT_MS = 10 * 60_000;
/** The API must fall silent within this (or the window, if shorter), or the cut did not take. */
const CONFIRM_WITHIN_MS = 10_000;

export const controlPlaneOutage: FaultType<Params> = {
  type: 'control-plane-outage',
  summary: 'The API server (or etcd behind it) unreachable for a while: controllers, kubelets and watches go blind, the workload should keep serving',
  params: Params,
  describe(params, fault) {
    const target = TARGETS[params.target];
    return [
      `T+${durationText(fault.at)} on every control-plane node, drop ${target.drop}, both ways: ${target.effect} (chains ${Object.values(chains(fault.id)).join(', ')})`,
      fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)} reachable again: remove the chains` : '  reachable again at the end of the run: remove the chains',
    ];
  },
  async inject(ctx, params) {
    const target = TARGETS[params.target];
    const planes = (await ctx.nodes.list()).filter((m) => m.role === 'control-plane' && m.running).map((m) => m.name);
    if (planes.length === 0) throw new InfraError('control-plane-outage: no running control-plane node to cut off');
    const comment = `shakedown:${ctx.runId}:${ctx.fault.id}`;
    for (const node of planes) {
      ctx.cleanup.register(
        ctx.fault.id,
        'control-plane-outage/restore',
        { node, faultId: ctx.fault.id, comment },
        `reach ${params.target === 'api' ? 'the API server' : 'etcd'} on ${node} again (remove chains ${Object.values(chains(ctx.fault.id)).join(', ')})`,
      );
      for (const command of lossCommands(ctx.fault.id, comment, { direction: 'both', probability: 1, device: target.device, ports: [{ protocol: 'tcp', port: target.port }] })) {
        const out = await ctx.nodes.exec(node, command);
        if (out.exitCode !== 0) throw new InfraError(`control-plane-outage: ${command.join(' ')} on ${node} failed: ${out.output.trim()}`);
      }
    }
    const cutAt = Date.now();
    ctx.detail('target', params.target);
    ctx.detail('nodes', planes);
    ctx.disrupt({ kind: 'control-plane-unreachable', nodes: planes, message: `${target.drop} dropped on ${planes.join(', ')}: ${target.effect}` });
    // A cut that does not take proves nothing: the run stops (and reverts) rather than pass on no evidence.
    const confirmWithin = Math.min(CONFIRM_WITHIN_MS, ctx.fault.duration ?? CONFIRM_WITHIN_MS);
    const outage = timeOutage(ctx, cutAt, confirmWithin, planes);
    if (!(await outage.silenced) && !ctx.signal.aborted) {
      throw new InfraError(`the API kept answering shakedown for ${durationText(confirmWithin)} after ${target.drop} was dropped on ${planes.join(', ')}: the cut did not take, so this window could prove nothing`);
    }
  },
  reverts: { restore: removeNodeLoss },
};

/**
 * Probes the API once a second from this process. `silenced` settles first:
 * true at the first probe left unanswered, false if every probe in the
 * confirmation span was answered. The probing then goes on in the background
 * to record when the API answered again (after the revert).
 */
function timeOutage(ctx: FaultContext, cutAt: number, confirmWithin: number, planes: string[]): { silenced: Promise<boolean> } {
  const confirmBy = cutAt + confirmWithin;
  let settle: (silent: boolean) => void = () => {};
  const silenced = new Promise<boolean>((resolve) => {
    settle = resolve;
  });
  void (async () => {
    let silentFrom: number | undefined;
    while (Date.now() - cutAt < PROBE_LIMIT_MS && !ctx.signal.aborted) {
      const asked = Date.now();
      const answered = await ctx.kube.answers(AbortSignal.timeout(PROBE_TIMEOUT_MS));
      if (!answered && silentFrom === undefined) {
        silentFrom = asked;
        settle(true);
      } else if (answered && silentFrom !== undefined) {
        ctx.detail('apiSilentFrom', silentFrom);
        ctx.detail('apiAnsweredAgainAt', Date.now());
        ctx.bus.log('info', `control-plane-outage: the API answered shakedown again ${durationText(Date.now() - cutAt)} after the cut, silent for ${durationText(Date.now() - silentFrom)}`);
        await sayNodesMarkedDown(ctx, cutAt, planes);
        return;
      } else if (answered && asked >= confirmBy) {
        settle(false);
        return;
      }
      await sleep(asked + PROBE_EVERY_MS - Date.now(), ctx.signal);
    }
    settle(false);
  })();
  return { silenced };
}

/**
 * What shakedown could not watch while it was cut off too: kubelets that
 * could not report past the node controller's grace period had their nodes
 * marked NotReady, and their pods' Ready set False in the API. kube-proxy,
 * cut off as well, kept routing to them, so traffic need not have noticed.
 */
async function sayNodesMarkedDown(ctx: FaultContext, cutAt: number, planes: string[]): Promise<void> {
  const nodes = await ctx.kube.listNodes().catch(() => []);
  const marked = nodes.filter((n) => !planes.includes(n.name) && (!n.ready || (n.readyChangedAt ?? 0) >= cutAt)).map((n) => n.name);
  if (!marked.length) return;
  ctx.detail('nodesMarkedNotReady', marked);
  ctx.bus.log(
    'warn',
    `control-plane-outage: while the API was out of reach, the node controller marked ${marked.join(', ')} NotReady (their kubelets could not report within its grace period) and set their pods' Ready to False in the API; shakedown, cut off too, saw none of it, and kube-proxy, cut off as well, kept routing to those pods`,
  );
}

// recovered-within: after each disruption a fault causes (first eviction,
// node stopped, pods deleted, partition applied), every watched deployment
// is back to its desired count of ready replicas within the deadline, and
// no pod is left bound to a node that is down. Time to recover is measured
// from the disruption itself, not from the end of the fault's window.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { duration, durationText } from '../../scenario/duration.ts';
import type { Impact } from '../../core/disruptions.ts';
import type { Watched } from '../../kube/watch.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { isHealthy, podsOf, whyNotReady } from '../shared/pods.ts';
import { readySinceBefore } from '../../kube/pods.ts';
import { describeHit, EFFECT_WITHIN_MS, HealthLog, type Recovery } from './episodes.ts';
import { explainShortfalls } from './explain.ts';

const Params = z.strictObject({
  deadline: duration({ min: 1000 }).prefault('90s').describe('how long after each disruption (and after the last fault) the stack may take to be fully ready again'),
  deployments: z.array(z.string().min(1)).default([]).describe('deployments to judge; default: all in the stack namespace'),
});
type Params = z.output<typeof Params>;

interface Shortfall {
  deployment: string;
  ready: number;
  desired: number;
  reasons: string[];
}

export function shortfalls(deployments: V1Deployment[], pods: V1Pod[], isDown: (node: string) => boolean, only: string[], lastStopped: (node: string) => number | undefined = () => undefined): Shortfall[] {
  const out: Shortfall[] = [];
  for (const d of deployments) {
    const name = d.metadata?.name ?? '';
    if (only.length && !only.includes(name)) continue;
    const desired = d.spec?.replicas ?? 1;
    const mine = podsOf(d, pods);
    const stranded = mine.filter((p) => p.spec?.nodeName && isDown(p.spec.nodeName) && !p.metadata?.deletionTimestamp);
    // A pod on a down node may still read Ready: the node controller has not noticed yet.
    // One on a node that came back reads Ready until the new kubelet rewrites its status.
    const stale = mine.filter((p) => isHealthy(p) && !stranded.includes(p) && readySinceBefore(p, lastStopped(p.spec?.nodeName ?? '')));
    const ready = mine.filter((p) => isHealthy(p) && !stranded.includes(p) && !stale.includes(p)).length;
    if (ready < desired || stranded.length) {
      const reasons = groupedByWhy([
        ...mine.filter((p) => !isHealthy(p)).map((p) => ({ pod: p.metadata?.name ?? '', why: `: ${whyNotReady(p)}` })),
        ...stale.map((p) => ({ pod: p.metadata?.name ?? '', why: `: Ready not yet confirmed since ${p.spec?.nodeName} restarted` })),
        ...stranded.map((p) => ({ pod: p.metadata?.name ?? '', why: ` still bound to down node ${p.spec?.nodeName}` })),
      ]);
      out.push({ deployment: name, ready, desired, reasons: reasons.slice(0, 4) });
    }
  }
  return out;
}

/** Pods that share a reason are named together, so the scheduler's long message is said once. */
function groupedByWhy(entries: Array<{ pod: string; why: string }>): string[] {
  const pods = new Map<string, string[]>();
  for (const { pod, why } of entries) if (!pods.get(why)?.includes(pod)) pods.set(why, [...(pods.get(why) ?? []), pod]);
  return [...pods].map(([why, names]) => `${names.join(', ')}${why}`);
}

export function describeShortfalls(list: Shortfall[]): string {
  return list.map((s) => `${s.deployment}: ${s.ready} of ${s.desired} ready${s.reasons.length ? ` (${s.reasons.join('; ')})` : ''}`).join('; ');
}

/** The moments a fault hit the workload: its first eviction, and each deletion, stop, cut, loss of packets (readiness probes lose them too), burner or loss of the control plane. */
export function hitsOf(impacts: Impact[]): Impact[] {
  const firstEviction = impacts.find((i) => i.disruption.kind === 'pods-evicted');
  return impacts.filter((i) => i === firstEviction || ['pods-deleted', 'nodes-stopped', 'nodes-cut-off', 'traffic-degraded', 'resources-pressed', 'control-plane-unreachable'].includes(i.disruption.kind));
}

export interface HitRecovery {
  kind: string;
  t: number;
  recovery: Recovery;
}

/** The verdict over a window's hits, once each is recovered, undisturbed, or past its deadline. */
export function judgeHits(hits: HitRecovery[], deadline: number, now: number, lastShortfall: string): Outcome {
  const details = {
    timeToRecoverMs: Math.max(0, ...hits.map((h) => (h.recovery.state === 'recovered' ? h.recovery.afterMs : h.recovery.state === 'undisturbed' ? 0 : now - h.t))),
    hits: hits.map((h) => ({ kind: h.kind, t: h.t, ...h.recovery })),
  };
  const late = hits.filter((h) => (h.recovery.state === 'recovered' ? h.recovery.afterMs > deadline : h.recovery.state !== 'undisturbed'));
  const told = hits.map((h) =>
    h.recovery.state === 'recovered'
      ? `recovered ${durationText(h.recovery.afterMs)} after ${describeHit(h.kind)}`
      : h.recovery.state === 'undisturbed'
        ? `${describeHit(h.kind)}: no ready replica lost${h.kind === 'control-plane-unreachable' ? ' as far as the API shows (the kubelets could not report while it was out of reach)' : ''}`
        : `not recovered ${durationText(now - h.t)} after ${describeHit(h.kind)}`,
  );
  if (late.length) return { status: 'failed', message: `${told.join('; ')} (deadline ${durationText(deadline)})${lastShortfall ? `: ${lastShortfall}` : ''}`, details };
  return { status: 'passed', message: `${told.join('; ')} (deadline ${durationText(deadline)})`, details };
}

export const recoveredWithin: AssertionType<Params> = {
  type: 'recovered-within',
  summary: 'Ready replicas back to the desired count within a deadline of each disruption; no pod left on a down node',
  params: Params,
  describe: (p) => `every deployment${p.deployments.length ? ` of ${p.deployments.join(', ')}` : ''} fully ready within ${durationText(p.deadline)} of each disruption, no pod left on a down node`,
  async start(ctx, params) {
    // Loaded on first use: the Kubernetes client is heavy and `validate` never needs it.
    const { watchDeployments, watchPods } = await import('../../kube/watch.ts');
    const log = new HealthLog();
    let missing: Shortfall[] = [];
    let wake: (() => void) | undefined;
    let deployments: Watched<V1Deployment> | undefined;
    let pods: Watched<V1Pod> | undefined;
    const refresh = () => {
      if (!deployments || !pods) return;
      missing = shortfalls(
        deployments.list(),
        pods.list(),
        (node) => ctx.disruptions.isDown(node),
        params.deployments,
        (node) => ctx.disruptions.lastStopped(node),
      );
      log.record(Date.now(), missing.length === 0);
      wake?.();
    };
    const emitReady = (d: V1Deployment) => {
      const name = d.metadata?.name ?? '';
      if (params.deployments.length && !params.deployments.includes(name)) return;
      ctx.sample(`ready:${name}`, d.status?.readyReplicas ?? 0);
      ctx.sample(`desired:${name}`, d.spec?.replicas ?? 0);
    };
    deployments = await watchDeployments(ctx.kubeConfig, ctx.namespace, (d) => {
      emitReady(d);
      refresh();
    });
    pods = await watchPods(ctx.kubeConfig, ctx.namespace, refresh);
    for (const d of deployments.list()) emitReady(d);
    // Every input is evented: deployments and pods by their watches, nodes through the tracker.
    const offDisruptions = ctx.disruptions.onChange(refresh);
    refresh();

    /** A failure with the shortfall's cause, where the pods' status establishes one. */
    const explained = async (outcome: Outcome): Promise<Outcome> => {
      if (outcome.status !== 'failed' || !missing.length) return outcome;
      const { readProbeFailures } = await import('./probe-events.ts');
      const explanation = explainShortfalls(missing, deployments!.list(), pods!.list(), await readProbeFailures(ctx.kubeConfig, ctx.namespace), (node) => ctx.disruptions.isDown(node));
      return explanation ? { ...outcome, explanation } : outcome;
    };

    /** Resolves on the next health change, or after `ms`. */
    const nextChange = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, ms));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }).finally(() => {
        wake = undefined;
      });

    return {
      async steadyState(): Promise<Outcome> {
        refresh();
        return missing.length ? explained({ status: 'failed', message: `not ready before any fault: ${describeShortfalls(missing)}` }) : { status: 'passed', message: `${deployments!.list().length} deployments fully ready` };
      },
      async judgeWindow(window): Promise<Outcome> {
        const hits = hitsOf(ctx.disruptions.impacts(window.id));
        if (!hits.length) return { status: 'skipped', message: `${window.id} reported no disruption of the workload, so there was nothing to recover from` };
        for (;;) {
          refresh();
          const now = Date.now();
          const judged = hits.map((h) => ({ kind: h.disruption.kind, t: h.t, recovery: log.recoveryAfter(h.t, now) }));
          const open = judged.filter((h) => h.recovery.state === 'pending' || h.recovery.state === 'recovering');
          const waitUntil = Math.max(0, ...open.map((h) => h.t + (h.recovery.state === 'pending' ? EFFECT_WITHIN_MS : params.deadline)));
          if (!open.length || now >= waitUntil || ctx.signal.aborted) return explained(judgeHits(judged, params.deadline, now, describeShortfalls(missing)));
          await nextChange(Math.min(2000, waitUntil - now));
        }
      },
      async recovery(signal, faultsEndedAt): Promise<Outcome> {
        const deadline = faultsEndedAt + params.deadline;
        for (;;) {
          refresh();
          if (missing.length === 0) {
            return {
              status: 'passed',
              message: `fully ready ${durationText(Math.max(0, Date.now() - faultsEndedAt))} after the faults ended (deadline ${durationText(params.deadline)})`,
              details: { recoveredAfterMs: Date.now() - faultsEndedAt },
            };
          }
          if (Date.now() >= deadline || signal.aborted) {
            const waited = durationText(Math.max(0, Date.now() - faultsEndedAt));
            return explained({ status: 'failed', message: `not fully ready ${waited} after the faults ended${signal.aborted ? ' (the recovery window ran out)' : ''}: ${describeShortfalls(missing)}`, details: { shortfalls: missing } });
          }
          await nextChange(Math.min(2000, deadline - Date.now()));
        }
      },
      async stop() {
        offDisruptions();
        wake?.();
        await deployments?.stop();
        await pods?.stop();
      },
    };
  },
};

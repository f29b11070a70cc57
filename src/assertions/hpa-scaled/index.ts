// hpa-scaled: under load the HorizontalPodAutoscaler scales out to at least
// N replicas within a deadline, and after the load back in within another.
// An HPA that cannot read its metric (no CPU requests, no metrics-server)
// fails with the HPA's own reason.
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { z } from 'zod';
import { duration, durationText } from '../../scenario/duration.ts';
import type { RunEvent } from '../../core/events.ts';
import { sleep } from '../../core/abort.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { explainHpa } from './explain.ts';

const Params = z.strictObject({
  hpa: z.string().min(1).default('backend').describe('the HorizontalPodAutoscaler to judge'),
  atLeast: z.number().int().min(2).default(4).describe('replicas the HPA must reach under load'),
  scaleOutWithin: duration({ min: 1000 }).prefault('90s').describe('from the start of load'),
  scaleInWithin: duration({ min: 1000 }).prefault('120s').describe('from the end of load, back to minReplicas'),
  metricsWithin: duration({ min: 1000 }).prefault('90s').describe('how long the HPA may take to read its metric before any fault'),
});
type Params = z.output<typeof Params>;

interface Point {
  t: number;
  current: number;
  desired: number;
}

/** The HPA's own word on why it cannot scale, from its conditions. */
export function hpaProblem(hpa: V2HorizontalPodAutoscaler | undefined): string | undefined {
  const active = hpa?.status?.conditions?.find((c) => c.type === 'ScalingActive');
  if (active?.status === 'False') return `${active.reason}: ${active.message}`;
  return undefined;
}

/** When the HPA first decided (desired) or had (current) at least `atLeast` replicas: its status lags the scale by a sync period. */
export function firstReach(points: Point[], atLeast: number, from: number): number | undefined {
  return points.find((p) => p.t >= from && Math.max(p.current, p.desired) >= atLeast)?.t;
}

export const hpaScaled: AssertionType<Params> = {
  type: 'hpa-scaled',
  summary: 'The HPA scales out under load within a deadline, and back in after it',
  params: Params,
  requires: ['load'],
  describe: (p) => `HPA ${p.hpa} reaches ${p.atLeast}+ replicas within ${durationText(p.scaleOutWithin)} of load, and is back to its minimum within ${durationText(p.scaleInWithin)} after`,
  async start(ctx, params) {
    const { watchHpas } = await import('../../kube/watch.ts');
    const points: Point[] = [];
    let latest: V2HorizontalPodAutoscaler | undefined;
    let loadStart: number | undefined;
    let loadEnd: number | undefined;
    const offBus = ctx.bus.on((e: RunEvent) => {
      if (e.kind === 'phase' && e.phase === 'load' && e.status === 'finished') loadStart = e.t;
      // The fault phase lasts until the load is done.
      if (e.kind === 'phase' && e.phase === 'faults' && e.status !== 'started') loadEnd = e.t;
    });
    const watched = await watchHpas(ctx.kubeConfig, ctx.namespace, (hpa) => {
      if (hpa.metadata?.name !== params.hpa) return;
      latest = hpa;
      const point = { t: Date.now(), current: hpa.status?.currentReplicas ?? 0, desired: hpa.status?.desiredReplicas ?? 0 };
      points.push(point);
      ctx.sample(`hpa:${params.hpa}:replicas`, point.current);
      ctx.sample(`hpa:${params.hpa}:desired`, point.desired);
      const cpu = hpa.status?.currentMetrics?.find((m) => m.type === 'Resource')?.resource?.current.averageUtilization;
      if (cpu !== undefined) ctx.sample(`cpu:${params.hpa}`, cpu);
    });
    /** A failure with its cause, where the HPA's status or spec establishes one; `atLeast` only once the load has run. */
    const explained = (outcome: Outcome, atLeast?: number): Outcome => {
      const others = watched.list().flatMap((h) => (h.metadata?.name && h.metadata.name !== params.hpa ? [h.metadata.name] : []));
      const explanation = explainHpa({ name: params.hpa, namespace: ctx.namespace, hpa: latest, others, atLeast });
      return explanation ? { ...outcome, explanation } : outcome;
    };
    const target = () => latest?.spec?.metrics?.find((m) => m.type === 'Resource')?.resource?.target.averageUtilization;
    const peakCpu = () => Math.max(0, ...ctx.bus.history.filter((e) => e.kind === 'sample' && e.series === `cpu:${params.hpa}`).map((e) => (e as { value: number }).value));

    return {
      async steadyState(signal): Promise<Outcome> {
        const until = Date.now() + params.metricsWithin;
        while (Date.now() < until && !signal.aborted) {
          const problem = hpaProblem(latest);
          // Missing CPU requests never fix themselves: say so at once.
          if (problem && /missing request/i.test(problem)) break;
          if (latest?.status?.conditions?.some((c) => c.type === 'ScalingActive' && c.status === 'True')) {
            return { status: 'passed', message: `HPA ${params.hpa} reads its metric (${latest.status?.currentReplicas ?? '?'} replicas, min ${latest.spec?.minReplicas ?? 1}, max ${latest.spec?.maxReplicas})` };
          }
          await sleep(1000, signal);
        }
        if (!latest) return explained({ status: 'failed', message: `no HorizontalPodAutoscaler named ${params.hpa} in ${ctx.namespace}` });
        return explained({ status: 'failed', message: `HPA ${params.hpa} cannot scale: ${hpaProblem(latest) ?? `no metric within ${durationText(params.metricsWithin)} (is metrics-server running?)`}` });
      },
      async recovery(signal): Promise<Outcome> {
        const start = loadStart ?? points[0]?.t ?? Date.now();
        const reached = firstReach(points, params.atLeast, start);
        const peak = Math.max(0, ...points.filter((p) => p.t >= start).map((p) => Math.max(p.current, p.desired)));
        if (reached === undefined || reached - start > params.scaleOutWithin) {
          const why = hpaProblem(latest);
          return explained(
            {
              status: 'failed',
              message: `HPA ${params.hpa} reached ${peak} replicas under load${reached !== undefined ? ` only after ${durationText(reached - start)}` : ''} (needed ${params.atLeast} within ${durationText(params.scaleOutWithin)}); CPU peaked at ${peakCpu()}% of requests against a target of ${target() ?? '?'}%${why ? `; ${why}` : ''}`,
              details: { peak, reachedAfterMs: reached === undefined ? null : reached - start },
            },
            params.atLeast,
          );
        }
        const min = latest?.spec?.minReplicas ?? 1;
        const end = loadEnd ?? Date.now();
        const until = end + params.scaleInWithin;
        while (Date.now() < until && !signal.aborted) {
          if ((latest?.status?.currentReplicas ?? Infinity) <= min) {
            return { status: 'passed', message: `scaled out to ${peak} in ${durationText(reached - start)}, back to ${min} ${durationText(Math.max(0, Date.now() - end))} after the load`, details: { peak, reachedAfterMs: reached - start } };
          }
          await sleep(1000, signal);
        }
        return { status: 'failed', message: `scaled out to ${peak}, but still at ${latest?.status?.currentReplicas} replicas ${durationText(params.scaleInWithin)} after the load (minimum ${min})`, details: { peak } };
      },
      async stop() {
        offBus();
        await watched.stop();
      },
    };
  },
};

// pod-kill: delete pods matching a selector, a count or a percentage at a
// time, once or every interval, never more than the blast-radius cap.
// Nothing to revert: controllers bring the pods back (recovered-within
// judges whether they do).
import { z } from 'zod';
import { duration, durationText } from '../../scenario/duration.ts';
import { InfraError } from '../../errors.ts';
import { sleep } from '../../core/abort.ts';
import type { FaultType } from '../types.ts';

const Params = z
  .strictObject({
    selector: z.string().min(1).describe('label selector, e.g. app=backend'),
    namespace: z.string().min(1).optional().describe('default: the stack namespace'),
    count: z.number().int().min(1).optional(),
    percent: z.number().min(1).max(100).optional(),
    interval: duration({ min: 100 }).optional().describe('kill again every interval until the fault window ends'),
    gracePeriod: duration().optional().describe("termination grace; default: the pod's own"),
    maxKills: z.number().int().min(1).default(10).describe('blast-radius cap: never more pods than this over the whole fault'),
  })
  .refine((p) => !(p.count !== undefined && p.percent !== undefined), { message: 'set count or percent, not both', path: ['percent'] });
type Params = z.output<typeof Params>;

export const podKill: FaultType<Params> = {
  type: 'pod-kill',
  summary: 'Delete pods matching a selector, by count or percent, once or on an interval',
  params: Params,
  aims: (p) => ({ pods: { selector: p.selector, ...(p.namespace && { namespace: p.namespace }), field: 'selector' } }),
  describe(params, fault) {
    const how = params.percent !== undefined ? `${params.percent}% of` : `${params.count ?? 1} of`;
    return [
      `T+${durationText(fault.at)} delete ${how} the pods matching ${params.selector}${params.gracePeriod !== undefined ? ` (grace ${durationText(params.gracePeriod)})` : ''}`,
      ...(params.interval !== undefined ? [`  again every ${durationText(params.interval)} until the window ends`] : []),
      `  at most ${params.maxKills} pods in all`,
    ];
  },
  async inject(ctx, params) {
    const namespace = params.namespace ?? ctx.namespace;
    const end = ctx.fault.duration !== undefined ? Date.now() + ctx.fault.duration : Date.now();
    const killed: string[] = [];
    /** Where each kill landed: what the seed reproduces when pod names change from run to run. */
    const killedOn: string[] = [];
    do {
      const pods = (await ctx.kube.listPods({ namespace, labelSelector: params.selector })).filter((p) => !p.deleting && p.phase === 'Running');
      if (pods.length === 0 && killed.length === 0) throw new InfraError(`pod-kill: no running pod matches ${params.selector} in ${namespace}`);
      const want = params.percent !== undefined ? Math.ceil((params.percent / 100) * pods.length) : (params.count ?? 1);
      // Drawn from the seed over a stable order (node, then name): the same seed takes the same positions, so the same nodes' pods while the layout is the same.
      const candidates = [...pods].sort((a, b) => (a.nodeName ?? '').localeCompare(b.nodeName ?? '') || a.name.localeCompare(b.name));
      const victims = ctx.random.shuffle(candidates).slice(0, Math.min(want, params.maxKills - killed.length));
      for (const pod of victims) {
        await ctx.kube.deletePod(pod.namespace, pod.name, params.gracePeriod !== undefined ? Math.round(params.gracePeriod / 1000) : undefined);
        killed.push(`${pod.namespace}/${pod.name}`);
        killedOn.push(pod.nodeName ?? '');
      }
      if (victims.length) ctx.disrupt({ kind: 'pods-deleted', pods: victims.map((v) => `${v.namespace}/${v.name}`), message: `killed ${victims.map((v) => v.name).join(', ')} (${killed.length} so far)` });
      if (params.interval === undefined || killed.length >= params.maxKills) break;
      await sleep(Math.min(params.interval, end - Date.now()), ctx.signal);
    } while (Date.now() < end && !ctx.signal.aborted);
    ctx.detail('killed', killed);
    ctx.detail('killedOn', killedOn);
  },
  reverts: {},
};

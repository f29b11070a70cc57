// resource-pressure: a bounded burner where the workload lives.
//   - With a selector, inside each matching pod's containers: the burner
//     joins the container's cgroups on its node, so CPU loops share the
//     container's CPU limit (it is throttled), and memory held past its limit
//     makes the kernel OOM-kill the container's own processes, as a leak
//     would (the burner is shielded with oom_score_adj -1000), and the
//     kubelet restarts it.
//   - Without one, CPU loops on whole workers beside their pods: a noisy
//     neighbour. Memory on a whole node is refused: kind nodes share this
//     machine's memory, so the kubelet's eviction threshold is the host's.
// Every burner runs under `timeout` (the window plus a minute), so it ends
// even if no revert ever runs; the revert kills its process group by marker.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseQuantity } from '../../core/quantity.ts';
import type { RevertHandler } from '../../core/reverts.ts';
import { InfraError } from '../../errors.ts';
import { durationText } from '../../scenario/duration.ts';
import { pickWorkers } from '../shared/nodes.ts';
import type { FaultContext, FaultType } from '../types.ts';

const Params = z
  .strictObject({
    resource: z.enum(['cpu', 'memory']).default('cpu').describe('cpu: busy loops; memory: bytes held'),
    selector: z.string().min(1).optional().describe("label selector of the pods to press inside (their containers' cgroups); absent: whole workers"),
    namespace: z.string().min(1).optional().describe("the pods' namespace; default: the stack's"),
    nodes: z.array(z.string().min(1)).min(1).optional().describe('workers to press, by name (no selector)'),
    count: z.number().int().min(1).default(1).describe('how many workers, when none are named (no selector)'),
    workers: z.number().int().min(1).max(16).default(2).describe('busy loops per container or node (cpu)'),
    memory: z
      .string()
      .refine((q) => parseQuantity(q) >= 2 ** 20, 'a memory quantity of at least 1Mi, like 256Mi')
      .default('256Mi')
      .describe('held in each container (memory): more than its limit to see it OOM-killed'),
  })
  .refine((p) => p.resource === 'cpu' || p.selector, {
    path: ['selector'],
    message: "memory pressure needs a selector: kind nodes share this machine's memory, so pressing a whole node would press the host; name the pods to press inside",
  });
type Params = z.output<typeof Params>;

/** Longest a burner may outlive its window if the revert never runs. */
const MARGIN_S = 60;
/** Without a set duration the fault lasts to the end of the run: bound it anyway. */
const UNBOUNDED_S = 3600;

/** What pgrep finds this fault's burners by; the run's id hashed in, so two runs never share one. */
export function burnMarker(runId: string, faultId: string): string {
  return `shakedown-burn-${faultId}-${createHash('sha256').update(runId).digest('hex').slice(0, 8)}`;
}

function burnScript(params: Params, limitSeconds: number): string {
  // Spelled out, without $: the shell that passes this on expands inside double quotes.
  return params.resource === 'cpu' ? `${'(while :; do :; done) & '.repeat(params.workers)}wait` : `(head -c ${Math.round(parseQuantity(params.memory))} /dev/zero; sleep ${limitSeconds}) | tail > /dev/null`;
}

/**
 * The node command that starts one burner in the background and returns at
 * once: inside the cgroups of `containerId` when given, shielded from the
 * OOM killer, under timeout, in a session of its own.
 */
export function startCommand(params: Params, marker: string, limitSeconds: number, containerId?: string): string[] {
  const join = containerId ? `for d in $(find /sys/fs/cgroup -type d -name "*${containerId}*" 2>/dev/null); do echo $$ > "$d/cgroup.procs" 2>/dev/null; done; ` : '';
  const inner = `${join}echo -1000 > /proc/$$/oom_score_adj; exec timeout -s KILL ${limitSeconds} sh -c "${burnScript(params, limitSeconds)}" ${marker}`;
  return ['sh', '-c', `setsid sh -c '${inner}' ${marker} </dev/null >/dev/null 2>&1 &`];
}

/** Kills every process group a burner of `marker` leads; exits 0 once none is left. */
export function stopCommand(marker: string): string[] {
  // The marker is put together at run time, so this shell's own command line never matches it.
  const [head, tail] = [marker.slice(0, 9), marker.slice(9)];
  return ['sh', '-c', `m="${head}"; m="$m${tail}"; for p in $(pgrep -f "$m"); do g=$(cut -d" " -f5 /proc/$p/stat 2>/dev/null); [ -n "$g" ] && kill -9 "-$g" 2>/dev/null; done; sleep 0.2; ! pgrep -f "$m" >/dev/null`];
}

const stopBurners: RevertHandler = async (args: { node: string; marker: string }, ctx) => {
  const machine = (await ctx.nodes!.list()).find((m) => m.name === args.node);
  if (!machine?.running) return; // a stopped node took its burners with it
  const out = await ctx.nodes!.exec(args.node, stopCommand(args.marker));
  if (out.exitCode !== 0) throw new Error(`burners ${args.marker} still run on ${args.node}: ${out.output.trim() || `exit ${out.exitCode}`}`);
};

export const resourcePressure: FaultType<Params> = {
  type: 'resource-pressure',
  summary: "CPU or memory pressure: a bounded burner inside chosen pods' containers (throttled, OOM-killed) or beside them on whole workers",
  params: Params,
  aims: (p) => (p.selector ? { pods: { selector: p.selector, ...(p.namespace && { namespace: p.namespace }), field: 'selector' } } : p.nodes ? { nodes: { names: p.nodes, field: 'nodes' } } : {}),
  describe(params, fault) {
    const what = params.resource === 'cpu' ? `${params.workers} CPU busy loop${params.workers === 1 ? '' : 's'}` : `${params.memory} held`;
    const where = params.selector
      ? `inside each container of the pods matching ${params.selector}${params.resource === 'cpu' ? ' (throttled at their CPU limits)' : ' (past their memory limits: the kernel OOM-kills them, the kubelet restarts them)'}`
      : `on ${params.nodes?.join(', ') ?? `${params.count} worker${params.count === 1 ? '' : 's'}`}, beside the pods`;
    return [`T+${durationText(fault.at)} ${what} ${where}`, fault.duration !== undefined ? `T+${durationText(fault.at + fault.duration)} kill the burners` : '  kill the burners at the end of the run'];
  },
  async inject(ctx, params) {
    const marker = burnMarker(ctx.runId, ctx.fault.id);
    const limit = Math.ceil((ctx.fault.duration ?? UNBOUNDED_S * 1000) / 1000) + MARGIN_S;
    ctx.detail('marker', marker);
    if (params.selector) return pressPods(ctx, params, marker, limit);
    const nodes = await pickWorkers(ctx, { ...(params.nodes && { nodes: params.nodes }), count: params.count });
    for (const node of nodes) {
      ctx.cleanup.register(ctx.fault.id, 'resource-pressure/stop', { node, marker }, `kill the burners on ${node} (${marker})`);
      await run(ctx, node, startCommand(params, marker, limit));
    }
    ctx.detail('nodes', nodes);
    const amount = `${params.workers} CPU busy loops`;
    ctx.disrupt({ kind: 'resources-pressed', resource: 'cpu', amount, nodes, message: `${amount} on ${nodes.join(', ')}, beside the pods` });
  },
  reverts: { stop: stopBurners },
};

async function pressPods(ctx: FaultContext, params: Params, marker: string, limit: number): Promise<void> {
  const namespace = params.namespace ?? ctx.namespace;
  const pods = (await ctx.kube.listPods({ namespace, labelSelector: params.selector })).filter((p) => !p.deleting && p.phase === 'Running' && p.nodeName && p.containerIds?.length);
  if (pods.length === 0) throw new InfraError(`resource-pressure: no running pod matches ${params.selector} in ${namespace}`);
  const registered = new Set<string>();
  for (const pod of pods) {
    if (!registered.has(pod.nodeName!)) {
      registered.add(pod.nodeName!);
      ctx.cleanup.register(ctx.fault.id, 'resource-pressure/stop', { node: pod.nodeName, marker }, `kill the burners on ${pod.nodeName} (${marker})`);
    }
    for (const id of pod.containerIds!) await run(ctx, pod.nodeName!, startCommand(params, marker, limit, id));
  }
  const names = pods.map((p) => `${p.namespace}/${p.name}`);
  ctx.detail('pods', names);
  ctx.detail('nodes', [...registered]);
  const amount = params.resource === 'cpu' ? `${params.workers} CPU busy loops` : `${params.memory}`;
  ctx.disrupt({ kind: 'resources-pressed', resource: params.resource, amount, nodes: [...registered], pods: names, message: `${amount} ${params.resource === 'cpu' ? 'inside' : 'held inside'} ${names.join(', ')}` });
}

async function run(ctx: FaultContext, node: string, command: string[]): Promise<void> {
  const out = await ctx.nodes.exec(node, command);
  if (out.exitCode !== 0) throw new InfraError(`resource-pressure: starting a burner on ${node} failed: ${out.output.trim() || `exit ${out.exitCode}`}`);
}

// netpol-isolated: the NetworkPolicies the cluster holds are the isolation
// it enforces. The engine computes, from the LIVE objects, which pod may
// reach which on each port; probes measure it from inside the pods; every
// cell must agree, before, during and after the faults.
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { z } from 'zod';
import { expectedReachability } from '../../netpol/engine.ts';
import { sleep } from '../../core/abort.ts';
import { duration } from '../../scenario/duration.ts';
import { readySince } from '../../kube/pods.ts';
import type { RunEvent } from '../../core/events.ts';
import type { AssertionType, Outcome } from '../types.ts';
import { cellKey, type NetworkPolicy } from '../../netpol/model.ts';
import { compare, enforcesNothing, lossyBlocksUnknown, verdict, worse, type Comparison } from './compare.ts';
import { judgeCoverage, measurementCoverage, windowCoverage, type CoverageVerdict, type MeasurementCoverage } from './coverage.ts';
import { driftEffects, policyDrift, type DriftEffect } from './drift.ts';
import { explained } from './explain.ts';
import { settleBlocks } from './settle.ts';
import { deniedByLive, failOpenCells, readNetworkAgents, restartingAgents, withFailOpen } from './agent-restart.ts';
import { PROBE_NAMESPACES } from './probe-names.ts';

const Params = z.strictObject({
  namespaces: z.array(z.string().min(1)).min(1).optional().describe('namespaces whose pods are judged; default: the stack namespace (plus the probe namespaces when probePods)'),
  ports: z.array(z.number().int().min(1).max(65535)).min(1).default([8080]).describe('TCP ports probed; a destination is probed only on ports it declares'),
  probePods: z.boolean().default(true).describe('deploy probe pods in namespaces of their own, to judge traffic from outside the stack'),
  probeContainers: z
    .boolean()
    .default(true)
    .describe("probe from pods without shakedown's agent too, through an ephemeral container with it, so their egress policies are judged (ephemeral containers stay in the pod spec; the agent in them exits after 15 minutes)"),
  minCoverage: z.number().min(0).max(1).optional().describe('share of the expected cells (0..1) a window must judge, over and above the rule that every Ready pod is probed as a destination'),
  settle: duration({ min: 0 })
    .prefault('15s')
    .describe(
      'how long after a pod turns Ready an allowed connection to or from it may still be refused while the CNI programs its rules; such cells are probed again until they go through or this has passed (a connection the policies deny that goes through always counts at once)',
    ),
  agentRestart: z
    .enum(['fail', 'report'])
    .default('fail')
    .describe(
      "a connection the policies deny that goes through while a network agent (the CNI's DaemonSet pod) on either pod's node is not Ready or Ready for less than `settle`, as after a node reboot: 'fail' counts it, naming the agent (the CNI fails open as it restarts); 'report' names it beside the verdict without counting it",
    ),
  policies: z
    .enum(['declared', 'steady-state', 'live'])
    .default('declared')
    .describe("the NetworkPolicies that define the expectation: the stack's declared ones (its manifests; the sample stack's design), those read at steady state (a later change is drift), or the live ones at each probe (judges enforcement only)"),
});
type Params = z.output<typeof Params>;

/** While a fault is active the matrix is re-measured this often (after each full pass). */
const REPROBE_EVERY_MS = 5_000;
const PROBE_CONCURRENCY = 8;
/** A probe is a 1 s connect plus the exec round trip; more than this and the pod's node is unreachable. */
const PROBE_TIMEOUT_MS = 6_000;
const STOP_TIMEOUT_MS = 60_000;

interface Measured {
  t: number;
  ms: number;
  comparison: Comparison;
  drift: string[];
  /** What each drifted policy flips: the cause of wrong cells it accounts for. */
  driftEffects: DriftEffect[];
  coverage: MeasurementCoverage;
}

export const netpolIsolated: AssertionType<Params> = {
  type: 'netpol-isolated',
  summary: 'Pods reach exactly what the live NetworkPolicies allow, probed from inside the pods, before, during and after faults',
  params: Params,
  describe: (p) =>
    `every pod-to-pod connection on port${p.ports.length === 1 ? '' : 's'} ${p.ports.join(', ')}${p.namespaces ? ` among ${p.namespaces.join(', ')}` : ''} is allowed or denied exactly as the NetworkPolicies ${p.policies === 'declared' ? 'the stack declares' : p.policies === 'steady-state' ? 'read at steady state' : 'live at each probe'} say${p.probePods ? `, probe pods in ${PROBE_NAMESPACES.join(', ')} included` : ''}${p.probeContainers ? ', probed from every pod (an ephemeral agent container where a pod has none)' : ''}; every Ready pod is probed as a destination${p.minCoverage !== undefined ? ` and at least ${Math.round(p.minCoverage * 100)}% of the cells judged` : ''}`,
  async start(ctx, params) {
    // Loaded on first use: they pull in the Kubernetes client, which `validate` never needs.
    const [{ readLive, toPolicy }, { clientExec, probeMatrix }, { ProbePods }, { agentContainer }, { EphemeralAgents, clientEphemeralApi }, { loadAgentImage }, { agentImage }] = await Promise.all([
      import('../../netpol/live.ts'),
      import('../../netpol/probe.ts'),
      import('./probe-pods.ts'),
      import('./probe-container.ts'),
      import('./ephemeral-agents.ts'),
      import('./agent-image.ts'),
      import('../../stack/sample.ts'),
    ]);
    const namespaces = [...new Set([...(params.namespaces ?? [ctx.namespace]), ...(params.probePods ? PROBE_NAMESPACES : [])])];
    const stopping = new AbortController();
    const signal = AbortSignal.any([ctx.signal, stopping.signal]);
    // The sample stack's deployer loads the agent for its pods; the probe pods and containers may run anywhere.
    if (params.probePods || params.probeContainers) await loadAgentImage(ctx.loadImages, ctx.bus);
    const probes = params.probePods ? new ProbePods(ctx.kubeConfig, { runId: ctx.runId, ports: params.ports }) : undefined;
    const agents = params.probeContainers ? new EphemeralAgents(clientEphemeralApi(ctx.kubeConfig), { image: agentImage(), bus: ctx.bus }) : undefined;
    const removeProbes = () => probes?.delete(AbortSignal.timeout(STOP_TIMEOUT_MS)).catch((e: Error) => ctx.bus.log('warn', e.message));
    if (probes) {
      // Ledgered first: after a crash, `shakedown cleanup` removes the probe namespaces too.
      ctx.cleanup.register('run', 'namespaces/delete', { namespaces: PROBE_NAMESPACES }, `delete probe namespaces ${PROBE_NAMESPACES.join(', ')}`);
      try {
        await probes.create(ctx.signal);
      } catch (e) {
        await removeProbes();
        throw e;
      }
    }
    const exec = clientExec(ctx.kubeConfig);

    const active = new Set<string>();
    const history: Measured[] = [];
    // The first measurement's policies, in 'steady-state' mode: pods stay live (replacements get new names), policies don't.
    let contract: NetworkPolicy[] | undefined;

    const measureNow = async (): Promise<Measured> => {
      const t = Date.now();
      // Nodes a fault stopped or cut off are down at once (before the node controller notices) and back once Ready again.
      const [live, networkAgents] = await Promise.all([
        readLive(ctx.kubeConfig, namespaces, { downNodes: ctx.disruptions.downNodes(), lastStopped: (node) => ctx.disruptions.lastStopped(node), container: agentContainer }),
        readNetworkAgents(ctx.kubeConfig),
      ]);
      if (params.policies === 'declared' && ctx.declaredPolicies) contract ??= ctx.declaredPolicies.map((p) => toPolicy(p as V1NetworkPolicy));
      // Without a declaration, the policies at steady state are the contract.
      if (params.policies !== 'live') contract ??= live.cluster.policies;
      const policies = contract ?? live.cluster.policies;
      const drift = contract ? policyDrift(contract, live.cluster.policies) : [];
      const reach = { ports: params.ports, protocols: ['TCP' as const] };
      const expected = expectedReachability({ ...live.cluster, policies }, reach);
      // Pods without the agent get it as an ephemeral container, so they originate probes too.
      const targets = agents ? await agents.attach(live, signal) : live.targets;
      const run = await probeMatrix(targets, exec, { ports: params.ports, concurrency: PROBE_CONCURRENCY, timeoutMs: PROBE_TIMEOUT_MS, signal });
      const actual = run.cells;
      // Blocks a fault's packet loss may explain are unknown first, so they are not re-probed for nothing.
      const lossy = ctx.disruptions.degraded();
      const raw = compare(expected, actual);
      const judged = lossyBlocksUnknown(raw, (pod) => lossy.pods.has(pod) || lossy.nodes.has(live.objects.get(pod)?.spec?.nodeName ?? ''), 'packets to or from it are being dropped by a fault');
      const settled = await settleBlocks(judged, {
        settleMs: params.settle,
        readySince: (pod) => {
          const object = live.objects.get(pod);
          return object && readySince(object);
        },
        nodeBackSince: (pod) => ctx.disruptions.backSince(live.objects.get(pod)?.spec?.nodeName ?? ''),
        reprobe: async (only) => (await probeMatrix(targets, exec, { ports: params.ports, concurrency: PROBE_CONCURRENCY, timeoutMs: PROBE_TIMEOUT_MS, signal, only })).cells,
        sleep: (ms) => sleep(ms, signal),
      });
      // Openings where a node's network agent had just restarted: the CNI failing open, named as such.
      // Only an opening the live policies deny can be the CNI failing open; one a drifted live policy allows is the policy's doing.
      const openedByCni = drift.length ? deniedByLive(settled.wrong, expectedReachability(live.cluster, reach)) : settled.wrong;
      // Only an agent restarted by a fault's node stop or reboot: on a fresh cluster every agent is young, and a CNI
      // that opens every denied cell enforces nothing (seen in CI: kube-router without its firewall, 13 s after boot).
      const restarted = restartingAgents(
        networkAgents.filter((a) => ctx.disruptions.lastStopped(a.node) !== undefined),
        params.settle,
        t,
      );
      const failOpen = enforcesNothing(settled) ? [] : failOpenCells(openedByCni, (pod) => live.objects.get(pod)?.spec?.nodeName, restarted, t);
      const comparison = withFailOpen(settled, failOpen, params.agentRestart);
      // Cells the loss made unknown were not judged: coverage must not count them.
      const lossyKeys = new Set(raw.wrong.filter((w) => !judged.wrong.includes(w)).map(cellKey));
      const judgedCells = lossyKeys.size ? actual.map((c) => (lossyKeys.has(cellKey(c)) ? { ...c, result: 'unknown' as const } : c)) : actual;
      const coverage = measurementCoverage(expected, judgedCells, targets, { down: live.downNodes, unreachable: run.unreachableNodes, failing: run.failingNodes });
      const ms = Date.now() - t;
      ctx.sample('netpol:wrong', comparison.wrong.length);
      ctx.sample('netpol:unknown', comparison.unknown);
      ctx.bus.log('debug', `netpol-isolated: ${actual.length} cells probed in ${(ms / 1000).toFixed(1)} s (${comparison.wrong.length} wrong, ${comparison.unknown} unknown)`);
      return { t, ms, comparison, drift, driftEffects: contract ? driftEffects(contract, live.cluster, reach) : [], coverage };
    };
    // One measurement at a time: the loop and a verdict never probe concurrently.
    let queue: Promise<unknown> = Promise.resolve();
    const measure = (): Promise<Measured> => {
      const run = queue.then(measureNow, measureNow);
      queue = run.catch(() => {});
      return run;
    };

    let loop: Promise<void> | undefined;
    const runLoop = async () => {
      while (active.size > 0 && !signal.aborted) {
        try {
          const m = await measure();
          history.push(m);
          if (m.comparison.wrong.length) {
            ctx.bus.emit({ kind: 'assertion', assertion: ctx.assertion.name, type: 'netpol-isolated', status: 'failing', message: verdict(m.comparison, '', m.drift).message });
          }
        } catch (e) {
          ctx.bus.log('warn', `netpol-isolated: measuring during the fault failed: ${(e as Error).message}`);
        }
        await sleep(REPROBE_EVERY_MS, signal);
      }
      loop = undefined;
    };
    const offBus = ctx.bus.on((event: RunEvent) => {
      if (event.kind !== 'fault') return;
      if (event.state === 'injecting' || event.state === 'active') active.add(event.faultId);
      if (event.state === 'reverted' || event.state === 'failed') {
        active.delete(event.faultId);
      }
      if (active.size > 0 && !loop) loop = runLoop();
    });

    const contractKind = params.policies === 'declared' && ctx.declaredPolicies ? 'declared' : 'steady-state';
    /** The verdict over a measurement, with its cause where the evidence establishes one. */
    const judged = (m: Measured, when: string, coverage: CoverageVerdict): Outcome => explained(verdict(m.comparison, when, m.drift, coverage), { comparison: m.comparison, drift: m.driftEffects, coverage, contract: contractKind });

    const once = async (when: string): Promise<Outcome> => {
      try {
        const m = await measure();
        return withTiming(judged(m, when, judgeCoverage(windowCoverage([m.coverage]), params.minCoverage)), m);
      } catch (e) {
        return { status: 'failed', message: `${when ? `${when}: ` : ''}could not measure reachability: ${(e as Error).message}` };
      }
    };

    return {
      steadyState: () => once(''),
      async judgeWindow(window): Promise<Outcome> {
        const during = history.filter((m) => m.t >= window.start && m.t <= window.end);
        let fresh: Measured | undefined;
        let error: Error | undefined;
        try {
          fresh = await measure();
        } catch (e) {
          error = e as Error;
        }
        const all = fresh ? [...during, fresh] : during;
        if (all.length === 0) return { status: 'failed', message: `could not measure reachability: ${error?.message}` };
        const worst = all.reduce((a, b) => (worse(a.comparison, b.comparison) === a.comparison ? a : b));
        const when = worst === fresh ? (during.length ? `worst of ${all.length} probes (at judge time)` : '') : `worst of ${all.length} probes (${Math.round((worst.t - window.start) / 1000)} s into ${window.id})`;
        // Coverage is the fault's: what the probes during the window reached, not the fresh one after it.
        const covered = during.length
          ? windowCoverage(
              during.map((m) => m.coverage),
              fresh?.coverage,
            )
          : windowCoverage(all.map((m) => m.coverage));
        return withTiming(judged(worst, when, judgeCoverage(covered, params.minCoverage)), worst, all.length);
      },
      async recovery(): Promise<Outcome> {
        active.clear();
        return once('after the faults');
      },
      async stop() {
        offBus();
        active.clear();
        stopping.abort(new Error('netpol-isolated stopped'));
        await Promise.race([loop, sleep(PROBE_TIMEOUT_MS)]);
        await removeProbes();
      },
    };
  },
};

function withTiming(outcome: Outcome, m: Measured, probes = 1): Outcome {
  return { ...outcome, details: { ...outcome.details, probeSeconds: Math.round(m.ms / 100) / 10, measurements: probes } };
}

import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { deniedByLive, failOpenCells, isNetworkAgent, restartingAgents, toNetworkAgent, withFailOpen } from '../../../src/assertions/netpol-isolated/agent-restart.ts';
import { compare, verdict, worse } from '../../../src/assertions/netpol-isolated/compare.ts';
import type { ReachabilityCell } from '../../../src/netpol/model.ts';
import type { ProbeCell } from '../../../src/netpol/probe.ts';

const NOW = 1_000_000;
const expected: ReachabilityCell[] = [
  { from: 'p/probe', to: 's/backend-w1', port: 8080, protocol: 'TCP', allowed: false },
  { from: 'p/probe', to: 's/backend-w2', port: 8080, protocol: 'TCP', allowed: false },
  { from: 's/frontend', to: 's/backend-w1', port: 8080, protocol: 'TCP', allowed: true },
  { from: 's/frontend', to: 's/backend-w2', port: 8080, protocol: 'TCP', allowed: true },
];
const nodes: Record<string, string> = { 'p/probe': 'cp', 's/backend-w1': 'w1', 's/backend-w2': 'w2', 's/frontend': 'w2' };
const cell = (from: string, to: string, result: ProbeCell['result']): ProbeCell => ({ from, to, port: 8080, result });

function agentPod(name: string, node: string, opts: { hostNetwork?: boolean; owner?: string; readyAt?: number } = {}): V1Pod {
  return {
    metadata: { name, namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: opts.owner ?? 'DaemonSet', name: 'x', uid: 'u' }] },
    spec: { nodeName: node, hostNetwork: opts.hostNetwork ?? true, containers: [] },
    status: { conditions: opts.readyAt === undefined ? [{ type: 'Ready', status: 'False' }] : [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(opts.readyAt) as never }] },
  };
}

describe('network agents: the CNI failing open while its agent restarts', () => {
  it('counts host-network DaemonSet pods only', () => {
    expect(isNetworkAgent(agentPod('kube-router-a', 'w1'))).toBe(true);
    expect(isNetworkAgent(agentPod('coredns-x', 'w1', { hostNetwork: false }))).toBe(false);
    expect(isNetworkAgent(agentPod('etcd-cp', 'cp', { owner: 'Node' }))).toBe(false);
    expect(toNetworkAgent(agentPod('kube-router-a', 'w1', { readyAt: NOW - 4_000 }))).toEqual({ name: 'kube-router-a', node: 'w1', readySince: NOW - 4_000 });
    expect(toNetworkAgent(agentPod('kube-router-a', 'w1'))).toEqual({ name: 'kube-router-a', node: 'w1' });
  });

  it('finds the nodes whose agent is not Ready or Ready for less than the settle time, naming the youngest', () => {
    const restarting = restartingAgents(
      [
        { name: 'kube-proxy-1', node: 'w1', readySince: NOW - 9_000 },
        { name: 'kube-router-1', node: 'w1', readySince: NOW - 3_000 },
        { name: 'kube-router-2', node: 'w2', readySince: NOW - 600_000 },
        { name: 'kube-router-3', node: 'cp' },
      ],
      15_000,
      NOW,
    );
    expect([...restarting.keys()].sort()).toEqual(['cp', 'w1']);
    expect(restarting.get('w1')?.name).toBe('kube-router-1');
    expect(restarting.get('cp')?.readySince).toBeUndefined();
  });

  const probes = [cell('p/probe', 's/backend-w1', 'allowed'), cell('p/probe', 's/backend-w2', 'allowed'), cell('s/frontend', 's/backend-w1', 'allowed'), cell('s/frontend', 's/backend-w2', 'allowed')];
  const restarting = restartingAgents([{ name: 'kube-router-1', node: 'w1', readySince: NOW - 3_000 }], 15_000, NOW);

  it('names only openings with a pod on the restarting node; blocks and openings elsewhere are not its doing', () => {
    const c = compare(expected, [...probes.slice(0, 3), cell('s/frontend', 's/backend-w2', 'denied')]);
    const cells = failOpenCells(c.wrong, (pod) => nodes[pod], restarting, NOW);
    expect(cells).toEqual([{ from: 'p/probe', to: 's/backend-w1', port: 8080, expected: 'denied', actual: 'allowed', node: 'w1', agent: 'kube-router-1', agentReadyMs: 3_000 }]);
  });

  it('leaves to the policies an opening a drifted live policy allows (seen: allow-all added while kube-router had just restarted)', () => {
    const c = compare(expected, probes);
    const live: ReachabilityCell[] = [{ from: 'p/probe', to: 's/backend-w1', port: 8080, protocol: 'TCP', allowed: true }];
    expect(deniedByLive(c.wrong, live).map((w) => w.to)).toEqual(['s/backend-w2']);
    expect(failOpenCells(deniedByLive(c.wrong, live), (pod) => nodes[pod], restarting, NOW)).toEqual([]);
    // A UDP allowance is not a TCP one.
    expect(deniedByLive(c.wrong, [{ ...live[0]!, protocol: 'UDP' }])).toHaveLength(2);
  });

  it("'fail' keeps the opening wrong and says the CNI failed open, and how to record it instead", () => {
    const c = compare(expected, probes);
    const judged = withFailOpen(
      c,
      failOpenCells(c.wrong, (pod) => nodes[pod], restarting, NOW),
      'fail',
    );
    expect(judged.wrong).toHaveLength(2);
    const outcome = verdict(judged);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('2 of 4 cells wrong');
    expect(outcome.message).toContain("1 denied cell of these went through while the node's network agent restarted (kube-router-1 on w1 Ready for 3.0 s): the CNI fails open until it restores its rules; set agentRestart: report");
  });

  it("'report' moves it beside the verdict; an opening on a settled node still fails", () => {
    const c = compare(expected, probes);
    const recorded = withFailOpen(
      c,
      failOpenCells(c.wrong, (pod) => nodes[pod], restarting, NOW),
      'report',
    );
    expect(recorded.wrong.map((w) => w.to)).toEqual(['s/backend-w2']);
    expect(recorded.judged).toBe(3);
    const outcome = verdict(recorded);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/^1 of 3 cells wrong: p\/probe -> s\/backend-w2:8080 allowed but policy denies/);
    expect(outcome.message).toContain('1 denied cell went through while the node');
    expect(outcome.message).toContain('recorded, not counted: agentRestart: report');
  });

  it("'report' with nothing else wrong passes, and the window keeps the measurement that recorded it", () => {
    const onlyW1 = compare(expected.slice(0, 1), [cell('p/probe', 's/backend-w1', 'allowed')]);
    const recorded = withFailOpen(
      onlyW1,
      failOpenCells(onlyW1.wrong, (pod) => nodes[pod], restarting, NOW),
      'report',
    );
    const quiet = compare(expected.slice(0, 1), [cell('p/probe', 's/backend-w1', 'denied')]);
    expect(worse(quiet, recorded)).toBe(recorded);
    const outcome = verdict(recorded);
    expect(outcome.status).toBe('failed'); // nothing left judged: no cell could be probed
    const mixed = compare(expected, [cell('p/probe', 's/backend-w1', 'allowed'), cell('p/probe', 's/backend-w2', 'denied'), ...probes.slice(2)]);
    const passed = verdict(
      withFailOpen(
        mixed,
        failOpenCells(mixed.wrong, (pod) => nodes[pod], restarting, NOW),
        'report',
      ),
    );
    expect(passed.status).toBe('passed');
    expect(passed.message).toMatch(/^all 3 cells as the policies say .*1 denied cell went through while the node's network agent restarted \(kube-router-1 on w1 Ready for 3\.0 s\)/);
    expect(passed.details?.failOpen).toMatchObject({ counted: false });
  });
});

import { describe, expect, it } from 'vitest';
import { networkPartition, peersOf } from '../../../src/faults/network-partition/index.ts';
import { chainName, partitionCommands } from '../../../src/faults/network-partition/rules.ts';
import { nodeStop } from '../../../src/faults/node-stop/index.ts';
import { packetLoss } from '../../../src/faults/packet-loss/index.ts';
import { podKill } from '../../../src/faults/pod-kill/index.ts';
import { burnMarker, resourcePressure, startCommand, stopCommand } from '../../../src/faults/resource-pressure/index.ts';
import { controlPlaneOutage } from '../../../src/faults/control-plane-outage/index.ts';
import { dnsOutage } from '../../../src/faults/dns-outage/index.ts';
import { zoneOutage } from '../../../src/faults/zone-outage/index.ts';
import { FakeKube, FakeNodes } from '../../support/fakes.ts';
import { faultContext, pod } from './support.ts';

describe('pod-kill', () => {
  it('kills a percentage of the matching pods, rounding up', async () => {
    const kube = new FakeKube();
    kube.pods = [pod('a-1', 'w1', { app: 'a' }), pod('a-2', 'w1', { app: 'a' }), pod('a-3', 'w2', { app: 'a' })];
    kube.listPods = async (o = {}) => kube.pods.filter((p) => !(o as { labelSelector?: string }).labelSelector || p.labels.app === 'a');
    const { ctx, details, params } = faultContext(podKill, { selector: 'app=a', percent: 50 }, { kube });
    await podKill.inject(ctx, params);
    expect(details.killed).toHaveLength(2);
    expect(kube.pods).toHaveLength(1);
  });

  it('never kills more than the blast-radius cap across intervals', async () => {
    const kube = new FakeKube();
    let n = 0;
    kube.listPods = async () => Array.from({ length: 5 }, () => pod(`p-${n++}`, 'w1'));
    const { ctx, details, params } = faultContext(podKill, { selector: 'app=a', count: 2, interval: '100ms', maxKills: 3 }, { kube, duration: 2000 });
    await podKill.inject(ctx, params);
    expect(details.killed).toHaveLength(3);
  });

  it('takes the same pods for the same seed, whatever order the API lists them in, and others for other seeds', async () => {
    const victims = async (seed: number, reversed: boolean) => {
      const kube = new FakeKube();
      const all = Array.from({ length: 12 }, (_, i) => pod(`web-${i}`, `w${i % 3}`, { app: 'a' }));
      kube.pods = reversed ? [...all].reverse() : all;
      const { ctx, details, params } = faultContext(podKill, { selector: 'app=a', count: 3 }, { kube, seed });
      await podKill.inject(ctx, params);
      return details.killed as string[];
    };
    expect(await victims(7, false)).toEqual(await victims(7, true));
    const picks = new Set(await Promise.all([1, 2, 3, 4, 5].map(async (seed) => (await victims(seed, false)).join(','))));
    expect(picks.size).toBeGreaterThan(1);
  });

  it('rejects count and percent together', () => {
    expect(podKill.params.safeParse({ selector: 'a=b', count: 1, percent: 10 }).success).toBe(false);
  });

  it('fails clearly when nothing matches', async () => {
    const { ctx, params } = faultContext(podKill, { selector: 'app=ghost' });
    await expect(podKill.inject(ctx, params)).rejects.toThrow('no running pod matches app=ghost');
  });
});

describe('network-partition', () => {
  it('cuts the node off from the other nodes and their pod ranges', () => {
    const nodes = [
      { name: 'cp', labels: {}, ready: true, unschedulable: false, taints: [], address: '172.30.0.2', podCIDR: '10.244.0.0/24' },
      { name: 'w1', labels: {}, ready: true, unschedulable: false, taints: [], address: '172.30.0.3', podCIDR: '10.244.1.0/24' },
      { name: 'w2', labels: {}, ready: true, unschedulable: false, taints: [], address: '172.30.0.4', podCIDR: '10.244.2.0/24' },
    ];
    expect(peersOf(nodes, ['w1'])).toEqual(['172.30.0.2', '10.244.0.0/24', '172.30.0.4', '10.244.2.0/24']);
  });

  it('puts its rules in one dedicated chain per table, hooked first', () => {
    const chain = chainName('cut-worker');
    const commands = partitionCommands(chain, 'shakedown:run:cut-worker', ['172.30.0.2']).map((c) => c.join(' '));
    expect(commands).toContain(`iptables -w -t raw -N ${chain}`);
    expect(commands).toContain(`iptables -w -t raw -I PREROUTING 1 -i eth0 -m comment --comment shakedown:run:cut-worker -j ${chain}`);
    expect(commands).toContain(`iptables -w -t mangle -A ${chain} -d 172.30.0.2 -m comment --comment shakedown:run:cut-worker -j DROP`);
    expect(chainName('a-very-long-fault-identifier-indeed').length).toBeLessThanOrEqual(28);
  });

  it('registers the heal before touching a node, and a failing rule leaves the heal to run', async () => {
    const kube = new FakeKube();
    kube.nodes.forEach((n, i) => {
      Object.assign(n, { address: `172.30.0.${i + 2}` });
    });
    const nodes = new FakeNodes();
    const ran: string[] = [];
    nodes.exec = async (_node, command) => {
      ran.push(command.join(' '));
      return { exitCode: command.includes('mangle') && command.includes('-N') ? 1 : 0, output: 'boom' };
    };
    const { ctx, cleanup, params } = faultContext(networkPartition, { count: 1 }, { kube, nodes });
    await expect(networkPartition.inject(ctx, params)).rejects.toThrow('failed: boom');
    expect(cleanup.pending.map((a) => a.handler)).toEqual(['network-partition/heal']);
  });
});

describe('node-stop', () => {
  it('stops the first worker and ledgers its start first', async () => {
    const nodes = new FakeNodes();
    const { ctx, cleanup, params } = faultContext(nodeStop, {}, { nodes });
    await nodeStop.inject(ctx, params);
    expect((await nodes.list()).find((m) => m.name === 'w1')!.running).toBe(false);
    await cleanup.unwind();
    expect((await nodes.list()).every((m) => m.running)).toBe(true);
  });
});

describe('packet-loss', () => {
  it('drops that share of the packets to and from each matching pod, on its own node, and removes exactly its chains', async () => {
    const kube = new FakeKube();
    kube.pods = [pod('web-1', 'w1', { app: 'web' }), pod('web-2', 'w2', { app: 'web' }), pod('db-1', 'w2', { app: 'db' })];
    kube.listPods = async (o = {}) => kube.pods.filter((p) => !(o as { labelSelector?: string }).labelSelector || p.labels.app === 'web');
    const nodes = new FakeNodes(['cp', 'w1', 'w2']);
    const commands: Array<{ node: string; command: string }> = [];
    nodes.exec = async (node: string, command: string[]) => {
      commands.push({ node, command: command.join(' ') });
      return { exitCode: 0, output: '' };
    };
    const { ctx, params, cleanup, disruptions } = faultContext(packetLoss, { selector: 'app=web', probability: 0.3 }, { kube, nodes });
    await packetLoss.inject(ctx, params);
    const rules = commands.filter((c) => c.command.includes(' -A '));
    const [web1, web2] = kube.pods;
    // Into each pod after DNAT, out of it before SNAT, on the pod's own node only; the db pod is untouched.
    expect(rules.map((r) => `${r.node}: ${r.command.replace(/ -m comment.*/, '')}`)).toEqual([
      `w1: iptables -w -t mangle -A SHK-LOSS-IN-f1 -d ${web1!.ip} -m statistic --mode random --probability 0.3000`,
      `w1: iptables -w -t mangle -A SHK-LOSS-OUT-f1 -s ${web1!.ip} -m statistic --mode random --probability 0.3000`,
      `w2: iptables -w -t mangle -A SHK-LOSS-IN-f1 -d ${web2!.ip} -m statistic --mode random --probability 0.3000`,
      `w2: iptables -w -t mangle -A SHK-LOSS-OUT-f1 -s ${web2!.ip} -m statistic --mode random --probability 0.3000`,
    ]);
    expect(rules.every((r) => r.command.endsWith('-j DROP'))).toBe(true);
    expect(commands.filter((c) => c.command.includes(' -I ')).map((c) => `${c.node}: ${c.command.split(' -m ')[0]}`)).toEqual([
      'w1: iptables -w -t mangle -I POSTROUTING 1',
      'w1: iptables -w -t mangle -I PREROUTING 1',
      'w2: iptables -w -t mangle -I POSTROUTING 1',
      'w2: iptables -w -t mangle -I PREROUTING 1',
    ]);
    expect(disruptions.degraded().pods).toEqual(new Set(['stack/web-1', 'stack/web-2']));

    commands.length = 0;
    expect(await cleanup.unwind()).toEqual([]);
    expect(commands.filter((c) => / -[FX] /.test(c.command)).map((c) => `${c.node}: ${c.command}`)).toEqual([
      'w2: iptables -w -t mangle -F SHK-LOSS-IN-f1',
      'w2: iptables -w -t mangle -X SHK-LOSS-IN-f1',
      'w2: iptables -w -t mangle -F SHK-LOSS-OUT-f1',
      'w2: iptables -w -t mangle -X SHK-LOSS-OUT-f1',
      'w1: iptables -w -t mangle -F SHK-LOSS-IN-f1',
      'w1: iptables -w -t mangle -X SHK-LOSS-IN-f1',
      'w1: iptables -w -t mangle -F SHK-LOSS-OUT-f1',
      'w1: iptables -w -t mangle -X SHK-LOSS-OUT-f1',
    ]);
  });

  it('for whole nodes, drops on their own interface: in at PREROUTING, out at POSTROUTING', async () => {
    const nodes = new FakeNodes(['cp', 'w1', 'w2']);
    const commands: string[] = [];
    nodes.exec = async (_node: string, command: string[]) => {
      commands.push(command.join(' '));
      return { exitCode: 0, output: '' };
    };
    const { ctx, params } = faultContext(packetLoss, { nodes: ['w2'], probability: 1 }, { nodes });
    await packetLoss.inject(ctx, params);
    expect(commands.filter((c) => c.includes(' -A ')).map((c) => c.replace(/ -m comment.*/, ''))).toEqual([
      'iptables -w -t mangle -A SHK-LOSS-IN-f1 -i eth0 -m statistic --mode random --probability 1.0000',
      'iptables -w -t mangle -A SHK-LOSS-OUT-f1 -o eth0 -m statistic --mode random --probability 1.0000',
    ]);
    expect(commands.filter((c) => c.includes(' -I ')).map((c) => c.split(' -m ')[0])).toEqual(['iptables -w -t mangle -I PREROUTING 1', 'iptables -w -t mangle -I POSTROUTING 1']);
  });

  it('takes exactly one kind of target, and a probability in (0, 1]', () => {
    expect(packetLoss.params.safeParse({ probability: 0.3 }).success).toBe(false);
    expect(packetLoss.params.safeParse({ probability: 0.3, selector: 'a=b', count: 1 }).success).toBe(false);
    expect(packetLoss.params.safeParse({ probability: 0, selector: 'a=b' }).success).toBe(false);
    expect(packetLoss.params.safeParse({ probability: 1.5, selector: 'a=b' }).success).toBe(false);
    expect(packetLoss.params.safeParse({ probability: 1, selector: 'a=b' }).success).toBe(true);
  });
});

describe('dns-outage', () => {
  it('drops UDP and TCP 53 to each DNS pod on its own node, after DNAT, leaves its other ports alone, and removes exactly its chain', async () => {
    const kube = new FakeKube();
    const dns = (name: string, node: string) => ({ ...pod(name, node, { 'k8s-app': 'kube-dns' }), namespace: 'kube-system' });
    kube.pods = [dns('coredns-a', 'cp'), dns('coredns-b', 'w1'), pod('web-1', 'w1', { app: 'web' })];
    const nodes = new FakeNodes(['cp', 'w1', 'w2']);
    const commands: Array<{ node: string; command: string }> = [];
    nodes.exec = async (node: string, command: string[]) => {
      commands.push({ node, command: command.join(' ') });
      return { exitCode: 0, output: '' };
    };
    const { ctx, params, cleanup, disruptions } = faultContext(dnsOutage, {}, { kube, nodes });
    await dnsOutage.inject(ctx, params);
    const [a, b] = kube.pods;
    expect(commands.filter((c) => c.command.includes(' -A ')).map((r) => `${r.node}: ${r.command.replace(/ -m statistic.*/, '')}`)).toEqual([
      `cp: iptables -w -t mangle -A SHK-LOSS-IN-f1 -d ${a!.ip} -p udp --dport 53`,
      `cp: iptables -w -t mangle -A SHK-LOSS-IN-f1 -d ${a!.ip} -p tcp --dport 53`,
      `w1: iptables -w -t mangle -A SHK-LOSS-IN-f1 -d ${b!.ip} -p udp --dport 53`,
      `w1: iptables -w -t mangle -A SHK-LOSS-IN-f1 -d ${b!.ip} -p tcp --dport 53`,
    ]);
    // Only into the pods (queries), hooked after DNAT; nothing out of them.
    expect(commands.filter((c) => c.command.includes(' -I ')).map((c) => `${c.node}: ${c.command.split(' -m ')[0]}`)).toEqual(['cp: iptables -w -t mangle -I POSTROUTING 1', 'w1: iptables -w -t mangle -I POSTROUTING 1']);
    expect(commands.some((c) => c.command.includes('SHK-LOSS-OUT'))).toBe(false);
    expect(disruptions.degraded().pods).toEqual(new Set(['kube-system/coredns-a', 'kube-system/coredns-b']));
    commands.length = 0;
    expect(await cleanup.unwind()).toEqual([]);
    expect(commands.filter((c) => / -X SHK-LOSS-IN-f1/.test(c.command)).map((c) => c.node)).toEqual(['w1', 'cp']);
  });

  it('fails clearly when no DNS pod runs', async () => {
    const { ctx, params } = faultContext(dnsOutage, {});
    await expect(dnsOutage.inject(ctx, params)).rejects.toThrow('dns-outage: no running pod matches k8s-app=kube-dns in kube-system');
  });
});

describe('zone-outage', () => {
  function zonedWorld() {
    const kube = new FakeKube(['cp', 'w1', 'w2', 'w3']);
    const zones: Record<string, string> = { w1: 'zone-a', w2: 'zone-b', w3: 'zone-a' };
    for (const n of kube.nodes) if (zones[n.name]) n.labels['topology.kubernetes.io/zone'] = zones[n.name]!;
    return { kube, nodes: new FakeNodes(['cp', 'w1', 'w2', 'w3']) };
  }

  it('stops every node of the first zone at once, each start ledgered first, and starts them all again', async () => {
    const { kube, nodes } = zonedWorld();
    const { ctx, params, cleanup, details } = faultContext(zoneOutage, {}, { kube, nodes });
    await zoneOutage.inject(ctx, params);
    expect(details).toMatchObject({ zone: 'zone-a', nodes: ['w1', 'w3'] });
    expect((await nodes.list()).filter((m) => !m.running).map((m) => m.name)).toEqual(['w1', 'w3']);
    expect(cleanup.pending.map((p) => p.description)).toEqual(['start node w1', 'start node w3']);
    await cleanup.unwind();
    expect((await nodes.list()).every((m) => m.running)).toBe(true);
  });

  it('cuts a zone off from the nodes of the others, the control plane among them', async () => {
    const { kube, nodes } = zonedWorld();
    kube.nodes.forEach((n, i) => {
      Object.assign(n, { address: `172.30.0.${i + 2}`, podCIDR: `10.244.${i}.0/24` });
    });
    const seen: string[] = [];
    nodes.exec = async (node: string, command: string[]) => {
      if (command.includes('-A')) seen.push(`${node} ${command[command.indexOf('-A') + 2]} ${command[command.indexOf('-A') + 3]}`);
      return { exitCode: 0, output: '' };
    };
    const { ctx, params } = faultContext(zoneOutage, { zone: 'zone-b', mode: 'partition' }, { kube, nodes });
    await zoneOutage.inject(ctx, params);
    expect(new Set(seen.map((s) => s.split(' ')[0]))).toEqual(new Set(['w2']));
    expect(seen).toContain('w2 -s 172.30.0.2');
    expect(seen).toContain('w2 -d 10.244.3.0/24');
    expect(seen.some((s) => s.includes('172.30.0.4'))).toBe(false);
  });

  it('says which zones there are when the one named is not, and refuses a cluster without zones', async () => {
    const { kube, nodes } = zonedWorld();
    const named = faultContext(zoneOutage, { zone: 'zone-c' }, { kube, nodes });
    await expect(zoneOutage.inject(named.ctx, named.params)).rejects.toThrow('zone-outage (params.zone): no node is in zone zone-c (zones: zone-a, zone-b)');
    const bare = faultContext(zoneOutage, {});
    await expect(zoneOutage.inject(bare.ctx, bare.params)).rejects.toThrow(/no node carries topology\.kubernetes\.io\/zone/);
  });
});

describe('control-plane-outage', () => {
  /** Nodes that write down each command; a DROP rule on a control-plane port silences the API, as on a real cluster. */
  function recordingNodes(kube = new FakeKube()) {
    const nodes = new FakeNodes(['cp', 'w1', 'w2']);
    const commands: Array<{ node: string; command: string }> = [];
    nodes.exec = async (node: string, command: string[]) => {
      commands.push({ node, command: command.join(' ') });
      if (command.includes('DROP') && (command.includes('6443') || command.includes('2379'))) kube.answering = false;
      return { exitCode: 0, output: '' };
    };
    return { nodes, commands, kube };
  }
  const rules = (commands: Array<{ node: string; command: string }>) => commands.filter((c) => c.command.includes(' -A ')).map((r) => `${r.node}: ${r.command.replace(/ -m statistic.*/, '')}`);

  it('api: drops the API port both ways on the control plane, on the cluster network only, and no worker is touched', async () => {
    const { nodes, commands, kube } = recordingNodes();
    const { ctx, params, cleanup, disruptions, details } = faultContext(controlPlaneOutage, {}, { nodes, kube });
    await controlPlaneOutage.inject(ctx, params);
    expect(rules(commands)).toEqual(['cp: iptables -w -t mangle -A SHK-LOSS-IN-f1 -i eth0 -p tcp --dport 6443', 'cp: iptables -w -t mangle -A SHK-LOSS-OUT-f1 -o eth0 -p tcp --sport 6443']);
    // Every packet, not a share: an outage, not a lossy link.
    expect(commands.filter((c) => c.command.includes(' -A ')).every((c) => c.command.includes('--probability 1.0000'))).toBe(true);
    expect(details.nodes).toEqual(['cp']);
    expect(disruptions.impacts().map((i) => i.disruption.kind)).toEqual(['control-plane-unreachable']);
    // Nothing of the workload is down or lossy: only the API is out of reach.
    expect(disruptions.downNodes()).toEqual(new Set());
    expect(disruptions.degraded().nodes).toEqual(new Set());
    commands.length = 0;
    expect(await cleanup.unwind()).toEqual([]);
    expect(commands.filter((c) => / -X SHK-LOSS-(IN|OUT)-f1/.test(c.command)).map((c) => c.node)).toEqual(['cp', 'cp']);
  });

  it("etcd: drops etcd's client port on the loopback, where the API server talks to it", async () => {
    const { nodes, commands, kube } = recordingNodes();
    const { ctx, params } = faultContext(controlPlaneOutage, { target: 'etcd' }, { nodes, kube });
    await controlPlaneOutage.inject(ctx, params);
    expect(rules(commands)).toEqual(['cp: iptables -w -t mangle -A SHK-LOSS-IN-f1 -i lo -p tcp --dport 2379', 'cp: iptables -w -t mangle -A SHK-LOSS-OUT-f1 -o lo -p tcp --sport 2379']);
  });

  it('times the outage as shakedown saw it: silent from the first unanswered probe to the first answer', async () => {
    const { nodes, kube } = recordingNodes();
    const { ctx, params, details, bus } = faultContext(controlPlaneOutage, {}, { nodes, kube, duration: 1_500 });
    const logs: string[] = [];
    bus.on((e) => e.kind === 'log' && logs.push(e.message));
    await controlPlaneOutage.inject(ctx, params);
    await new Promise((r) => setTimeout(r, 1_200));
    kube.answering = true;
    await expect.poll(() => details.apiAnsweredAgainAt, { timeout: 3_000 }).toBeDefined();
    expect((details.apiAnsweredAgainAt as number) - (details.apiSilentFrom as number)).toBeGreaterThanOrEqual(1_000);
    expect(logs.some((l) => /^control-plane-outage: the API answered shakedown again \S+ after the cut, silent for \S+$/.test(l))).toBe(true);
  });

  it('says which workers the node controller marked NotReady while shakedown, cut off too, could not watch', async () => {
    const { nodes, kube } = recordingNodes();
    const { ctx, params, details, bus } = faultContext(controlPlaneOutage, {}, { nodes, kube, duration: 1_500 });
    const warnings: string[] = [];
    bus.on((e) => e.kind === 'log' && e.level === 'warn' && warnings.push(e.message));
    await controlPlaneOutage.inject(ctx, params);
    // Past the grace period: the controller marks w1 NotReady; w2 was marked and is back already; cp is not a worker.
    Object.assign(kube.node('w1'), { ready: false, readyChangedAt: Date.now() });
    Object.assign(kube.node('w2'), { ready: true, readyChangedAt: Date.now() });
    Object.assign(kube.node('cp'), { ready: false, readyChangedAt: Date.now() });
    kube.answering = true;
    await expect.poll(() => details.nodesMarkedNotReady, { timeout: 3_000 }).toEqual(['w1', 'w2']);
    expect(warnings.at(-1)).toMatch(/^control-plane-outage: while the API was out of reach, the node controller marked w1, w2 NotReady .*kube-proxy, cut off as well, kept routing to those pods$/);
  });

  it('fails the fault, and takes the rules back out, when the API kept answering: a window with no outage proves nothing', async () => {
    const { nodes, commands } = recordingNodes();
    const kube = new FakeKube();
    const { ctx, params, cleanup } = faultContext(controlPlaneOutage, {}, { nodes, kube, duration: 1_500 });
    await expect(controlPlaneOutage.inject(ctx, params)).rejects.toThrow('the API kept answering shakedown for 1.5s after TCP 6443 (the API server) on the cluster network was dropped on cp: the cut did not take, so this window could prove nothing');
    // The runner unwinds the fault's reverts after a failed injection: they were registered.
    commands.length = 0;
    expect(await cleanup.unwind()).toEqual([]);
    expect(commands.some((c) => / -X SHK-LOSS-IN-f1/.test(c.command))).toBe(true);
  });

  it('refuses a cluster with no running control plane', async () => {
    const { nodes } = recordingNodes();
    nodes.machines[0]!.running = false;
    const { ctx, params } = faultContext(controlPlaneOutage, {}, { nodes });
    await expect(controlPlaneOutage.inject(ctx, params)).rejects.toThrow('control-plane-outage: no running control-plane node to cut off');
  });
});

describe('resource-pressure', () => {
  function recordingNodes() {
    const nodes = new FakeNodes(['cp', 'w1', 'w2']);
    const commands: Array<{ node: string; command: string[] }> = [];
    nodes.exec = async (node: string, command: string[]) => {
      commands.push({ node, command });
      return { exitCode: 0, output: '' };
    };
    return { nodes, commands };
  }

  it('cpu inside pods: one burner per running container, joined to its cgroups on its node, bounded by the window, killed by marker on each node', async () => {
    const { nodes, commands } = recordingNodes();
    const kube = new FakeKube();
    kube.pods = [{ ...pod('web-1', 'w1', { app: 'web' }), containerIds: ['aaa111', 'bbb222'] }, { ...pod('web-2', 'w2', { app: 'web' }), containerIds: ['ccc333'] }, pod('db-1', 'w2', { app: 'db' })];
    const { ctx, params, cleanup, disruptions, details } = faultContext(resourcePressure, { selector: 'app=web', workers: 3 }, { nodes, kube, duration: 30_000 });
    await resourcePressure.inject(ctx, params);
    const marker = burnMarker('unit', 'f1');
    expect(details.marker).toBe(marker);
    expect(commands.map((c) => `${c.node} ${/-name "\*(\w+)\*"/.exec(c.command[2]!)?.[1]}`)).toEqual(['w1 aaa111', 'w1 bbb222', 'w2 ccc333']);
    for (const { command } of commands) {
      expect(command[2]).toContain('exec timeout -s KILL 90 sh -c "(while :; do :; done) & (while :; do :; done) & (while :; do :; done) & wait"');
      expect(command[2]).toMatch(new RegExp(`^setsid sh -c '.*' ${marker} </dev/null >/dev/null 2>&1 &$`));
    }
    expect(disruptions.degraded().pods).toEqual(new Set(['stack/web-1', 'stack/web-2']));
    commands.length = 0;
    expect(await cleanup.unwind()).toEqual([]);
    expect(commands.map((c) => c.node)).toEqual(['w2', 'w1']);
    expect(commands[0]!.command[2]).not.toContain(marker); // else the stopping shell would find itself
  });

  it('memory inside pods holds the bytes asked for, shielded from the OOM killer', async () => {
    const { nodes, commands } = recordingNodes();
    const kube = new FakeKube();
    kube.pods = [{ ...pod('web-1', 'w1', { app: 'web' }), containerIds: ['aaa111'] }];
    const { ctx, params } = faultContext(resourcePressure, { resource: 'memory', selector: 'app=web', memory: '128Mi' }, { nodes, kube, duration: 20_000 });
    await resourcePressure.inject(ctx, params);
    expect(commands[0]!.command[2]).toContain('echo -1000 > /proc/$$/oom_score_adj');
    expect(commands[0]!.command[2]).toContain(`(head -c ${128 * 2 ** 20} /dev/zero; sleep 80) | tail > /dev/null`);
  });

  it('refuses memory pressure on whole nodes, saying why, and pods that do not run', async () => {
    expect(() => resourcePressure.params.parse({ resource: 'memory' })).toThrow(/memory pressure needs a selector: kind nodes share this machine's memory/);
    const { ctx, params } = faultContext(resourcePressure, { selector: 'app=none' });
    await expect(resourcePressure.inject(ctx, params)).rejects.toThrow('resource-pressure: no running pod matches app=none in stack');
  });

  it.runIf(process.platform === 'linux')('its start and stop commands work in a real shell: the burner runs detached, and the stop kills its whole group', async () => {
    const { exec } = await import('../../../src/tools/exec.ts');
    const marker = burnMarker(`unit-${process.pid}-${Date.now()}`, 'f1');
    const params = resourcePressure.params.parse({ workers: 3 });
    const [sh, flag, script] = startCommand(params, marker, 30);
    expect((await exec(sh!, [flag!, script!])).exitCode).toBe(0);
    // timeout, the shell under it and its three loops.
    await expect.poll(async () => (await exec('pgrep', ['-f', marker])).stdout.trim().split('\n').filter(Boolean).length, { timeout: 3_000 }).toBe(5);
    const [ssh, sflag, stop] = stopCommand(marker);
    const stopped = await exec(ssh!, [sflag!, stop!]);
    expect(stopped.exitCode, stopped.stderr).toBe(0);
    expect((await exec('pgrep', ['-f', marker])).stdout.trim()).toBe('');
  });
});

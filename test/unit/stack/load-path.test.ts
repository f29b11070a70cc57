// The load path judged on the sample stack's own objects: open as designed;
// each policy change that cuts it named with the policy, its selector and
// the rule to add.
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { toPolicy } from '../../../src/netpol/live.ts';
import type { NetworkPolicy } from '../../../src/netpol/model.ts';
import { loadPathHops, type PathInput } from '../../../src/stack/load-path/hops.ts';
import { CUT_PREFIX, pathCuts } from '../../../src/stack/load-path/judge.ts';
import { strayPolicies } from '../../../src/stack/load-path/stray-policies.ts';
import { sampleStack } from '../../../src/stack/sample.ts';

const NS = 'shop';
type Obj = Record<string, any>;

/** The pods a Deployment's template makes, Ready, with IPs. */
function podsOf(deployment: Obj, count = 2, ipBase = 10): V1Pod[] {
  return Array.from({ length: count }, (_, i) => ({
    metadata: { name: `${deployment.metadata.name}-${i}`, namespace: deployment.metadata.namespace, labels: { ...deployment.spec.template.metadata.labels, 'pod-template-hash': 'abc' } },
    spec: deployment.spec.template.spec,
    status: { phase: 'Running', podIP: `10.244.1.${ipBase + i}`, conditions: [{ type: 'Ready', status: 'True' }] },
  })) as V1Pod[];
}

const dnsPod: V1Pod = {
  metadata: { name: 'coredns-0', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  spec: { containers: [{ name: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }] },
  status: { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] },
} as V1Pod;

function sample(options: { policies?: (list: Obj[]) => Obj[] } = {}) {
  const objects = sampleStack(NS, 'healthy');
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  const input: PathInput = {
    namespace: NS,
    target: { service: 'frontend', port: 80 },
    services: objects.filter((o) => o.kind === 'Service') as V1Service[],
    pods: deployments.flatMap((d, i) => podsOf(d, 2, 10 * (i + 1))),
    dnsPods: [dnsPod],
  };
  const declared = objects.filter((o) => o.kind === 'NetworkPolicy');
  const policies: NetworkPolicy[] = (options.policies ? options.policies(declared) : declared).map((p) => toPolicy(p as never));
  return {
    input,
    state: {
      namespaces: [
        { name: NS, labels: {} },
        { name: 'kube-system', labels: {} },
      ],
      policies,
      loadSources: ['172.18.0.2', '172.18.0.3'],
    },
  };
}

const without = (name: string) => (list: Obj[]) => list.filter((p) => p.metadata.name !== name);

describe('the load path', () => {
  it('follows the target Service to its pods, the Services they name in env, and the DNS that resolves them', () => {
    const { input } = sample();
    const hops = loadPathHops(input);
    expect(hops.map((h) => `${h.from.text} -> ${h.to.text} ${h.portText}`)).toEqual([
      'the load (from outside the cluster) -> pods of Service shop/frontend http/TCP',
      'pods of Service shop/frontend -> pods of Service shop/backend http/TCP',
      'pods of Service shop/frontend -> the cluster DNS (kube-system pods k8s-app=kube-dns) 53/UDP',
    ]);
    expect(hops[1]!.because).toBe('env BACKEND_URL of pod frontend-0 names Service shop/backend');
    // The named targetPort lands on the container port of that name.
    expect(hops[1]!.port(input.pods.find((p) => p.metadata?.name === 'backend-0')!)).toBe(8080);
  });

  it('finds no cut in the sample stack as designed', () => {
    const { input, state } = sample();
    expect(pathCuts(loadPathHops(input), state)).toEqual([]);
  });

  it.each([
    [
      'no ingress for the load',
      without('frontend-ingress'),
      true,
      /^the policies deny what the stack needs: the load \(from outside the cluster\) to pods of Service shop\/frontend on http\/TCP \(the load enters through Service shop\/frontend port 80\) is denied: the ingress of pods of Service shop\/frontend is isolated by shop\/default-deny \(podSelector \{\}\), and no rule admits the load/,
      'add a NetworkPolicy in shop with podSelector {app: frontend}, policyTypes [Ingress] and an ingress rule with no from (any source) on ports [{port: 8080, protocol: TCP}]',
    ],
    [
      'no egress from frontend to backend',
      without('frontend-to-backend'),
      false,
      /pods of Service shop\/frontend to pods of Service shop\/backend on http\/TCP \(env BACKEND_URL of pod frontend-0 names Service shop\/backend\) is denied: the egress of pods of Service shop\/frontend is isolated by shop\/default-deny \(podSelector \{\}\), shop\/allow-dns \(podSelector \{\}\), and no rule lets them reach pods of Service shop\/backend on http\/TCP$/,
      'add a NetworkPolicy in shop with podSelector {app: frontend}, policyTypes [Egress] and an egress rule to [{podSelector: {matchLabels: {app: backend}}}] on ports [{port: 8080, protocol: TCP}]',
    ],
    [
      'backend admitting the wrong pods',
      (list: Obj[]) => list.map((p) => (p.metadata.name === 'backend-from-frontend' ? { ...p, spec: { ...p.spec, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'front-end' } } }], ports: [{ port: 'http' }] }] } } : p)),
      false,
      /the ingress of pods of Service shop\/backend is isolated by shop\/default-deny \(podSelector \{\}\), shop\/backend-from-frontend \(podSelector \{app: backend\}\), and no rule admits pods of Service shop\/frontend/,
      'add a NetworkPolicy in shop with podSelector {app: backend}, policyTypes [Ingress] and an ingress rule from [{podSelector: {matchLabels: {app: frontend}}}] on ports [{port: 8080, protocol: TCP}]',
    ],
    [
      'no DNS egress',
      without('allow-dns'),
      false,
      /pods of Service shop\/frontend to the cluster DNS \(kube-system pods k8s-app=kube-dns\) on 53\/UDP \(pods of Service shop\/frontend look up Service names in the cluster DNS\) is denied: the egress of pods of Service shop\/frontend is isolated by shop\/default-deny/,
      'add a NetworkPolicy in shop with podSelector {app: frontend}, policyTypes [Egress] and an egress rule to [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}] on ports [{port: 53, protocol: UDP}]',
    ],
  ] as const)('names the cut when %s', (_name, policies, entry, cause, fix) => {
    const { input, state } = sample({ policies });
    const cuts = pathCuts(loadPathHops(input), state);
    expect(cuts).toHaveLength(1);
    expect(cuts[0]!.entry).toBe(entry);
    expect(cuts[0]!.cause).toMatch(cause);
    expect(cuts[0]!.fix).toBe(fix);
  });

  it('admits the load through an ipBlock only when it holds the addresses the load arrives from', () => {
    const ipBlock = (cidr: string) => (list: Obj[]) => list.map((p) => (p.metadata.name === 'frontend-ingress' ? { ...p, spec: { ...p.spec, ingress: [{ from: [{ ipBlock: { cidr } }], ports: [{ port: 'http' }] }] } } : p));
    const open = sample({ policies: ipBlock('172.18.0.0/16') });
    expect(pathCuts(loadPathHops(open.input), open.state)).toEqual([]);
    const shut = sample({ policies: ipBlock('192.168.0.0/16') });
    expect(pathCuts(loadPathHops(shut.input), shut.state)[0]!.cause).toContain(CUT_PREFIX);
  });

  it('reads Services from URLs, host:port and DNS names under the namespace, and nothing else', () => {
    const { input } = sample();
    const withEnv = (value: string): PathInput => ({
      ...input,
      pods: input.pods.map((p) => (p.metadata?.labels?.app === 'frontend' ? { ...p, spec: { ...p.spec!, containers: [{ ...p.spec!.containers[0]!, env: [{ name: 'UPSTREAM', value }] }] } } : p)),
    });
    const reaches = (value: string) => loadPathHops(withEnv(value)).some((h) => h.to.service === 'shop/backend');
    for (const value of ['http://backend/', 'backend:80', 'backend.shop', 'backend.shop.svc.cluster.local:80', 'http://backend.shop.svc:80/api']) expect(reaches(value), value).toBe(true);
    for (const value of ['backend', 'backend.other.svc.cluster.local', 'http://backend:9999/', 'https://example.test/', 'backend.shop.example.com']) expect(reaches(value), value).toBe(false);
  });

  it('judges nothing when the target Service is not there (the target check names it)', () => {
    const { input } = sample();
    expect(loadPathHops({ ...input, target: { service: 'web', port: 80 } })).toEqual([]);
  });
});

describe('policies that select nothing', () => {
  it('are named with what they select and the nearest label the pods carry; the sample as designed has none', () => {
    const { input, state } = sample();
    expect(strayPolicies(state.policies, input.pods, NS)).toEqual([]);
    const typo = sample({ policies: (list) => [...list, { ...list[4]!, metadata: { name: 'backend-typo', namespace: NS }, spec: { ...list[4]!.spec, podSelector: { matchLabels: { app: 'backnd' } } } }] });
    expect(strayPolicies(typo.state.policies, typo.input.pods, NS)).toEqual(['NetworkPolicy shop/backend-typo selects {app: backnd}, which matches no pod in shop: it isolates nothing; did you mean app=backend?']);
  });
});

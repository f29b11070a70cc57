// A small fixed cluster the engine cases run against: three namespaces with
// distinct labels, pods with and without IPs, named ports that differ per pod.
import type { Cluster, NetworkPolicy, NetworkPolicySpec, Pod } from '../../../src/netpol/model.ts';

function pod(key: string, labels: Record<string, string>, extra: Partial<Pod> = {}): Pod {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name, labels, ports: [], ...extra };
}

export const pods: Pod[] = [
  pod(
    'shop/web',
    { app: 'web', tier: 'front' },
    {
      ip: '10.1.0.1',
      ports: [
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      ],
    },
  ),
  pod('shop/api', { app: 'api', tier: 'back' }, { ip: '10.1.0.2', ports: [{ name: 'http', containerPort: 8081, protocol: 'TCP' }] }),
  // No IP: ipBlock peers can never match it.
  pod('shop/db', { app: 'db', tier: 'back' }, { ports: [{ name: 'pg', containerPort: 5432, protocol: 'TCP' }] }),
  pod('billing/api', { app: 'api', tier: 'back' }, { ip: '10.2.0.2', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }),
  pod('billing/worker', { app: 'worker' }, { ip: '10.2.0.3' }),
  pod(
    'ops/dns',
    { app: 'dns' },
    {
      ip: '10.3.0.53',
      ports: [
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
      ],
    },
  ),
  pod('ops/probe', { app: 'probe' }, { ip: 'fd00::5' }),
];

export function world(...policies: NetworkPolicy[]): Cluster {
  return {
    // Declared without kubernetes.io/metadata.name: the engine must add it.
    namespaces: [
      { name: 'shop', labels: { team: 'shop', env: 'prod' } },
      { name: 'billing', labels: { team: 'billing', env: 'prod' } },
      { name: 'ops', labels: { env: 'dev' } },
    ],
    pods,
    policies,
  };
}

export function np(key: string, spec: NetworkPolicySpec): NetworkPolicy {
  const [namespace, name] = key.split('/') as [string, string];
  return { metadata: { namespace, name }, spec };
}

// Engine cases derived from the networking.k8s.io/v1 API reference and the
// "Network Policies" concept page; each row is one expected connection.
import { describe, expect, it } from 'vitest';
import { effectivePolicyTypes, expectedReachability } from '../../../src/netpol/engine.ts';
import type { NetworkPolicy, Protocol, ReachabilityCell } from '../../../src/netpol/model.ts';
import { np, pods, world } from './world.ts';

type Check = [from: string, to: string, port: number, protocol: Protocol, allowed: boolean];

interface Case {
  name: string;
  policies: NetworkPolicy[];
  allowSelf?: boolean;
  checks: Check[];
}

const DENY_SHOP_INGRESS = np('shop/deny-ingress', { podSelector: {} });

const cases: Case[] = [
  {
    name: 'no policies: everything open',
    policies: [],
    checks: [
      ['shop/web', 'billing/api', 80, 'TCP', true],
      ['ops/probe', 'shop/db', 5432, 'UDP', true],
      ['shop/db', 'shop/db', 5432, 'SCTP', true],
    ],
  },
  {
    name: 'default-deny ingress (policyTypes unset) isolates only its namespace',
    policies: [DENY_SHOP_INGRESS],
    checks: [
      ['billing/api', 'shop/web', 8080, 'TCP', false],
      ['shop/api', 'shop/web', 8080, 'TCP', false],
      ['shop/web', 'billing/api', 8080, 'TCP', true], // egress unaffected
      ['billing/api', 'ops/dns', 53, 'UDP', true],
    ],
  },
  {
    name: 'policyTypes unset + egress: [] defaults to [Ingress] only (len(egress) == 0)',
    policies: [np('shop/empty-egress', { podSelector: {}, egress: [] })],
    checks: [
      ['shop/web', 'billing/api', 8080, 'TCP', true],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'policyTypes unset + non-empty egress isolates both directions',
    policies: [np('shop/egress-to-api', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })],
    checks: [
      ['shop/web', 'shop/api', 8081, 'TCP', true],
      ['shop/web', 'billing/api', 8080, 'TCP', false], // podSelector-only peer = policy namespace
      ['billing/api', 'shop/web', 8080, 'TCP', false], // Ingress implied, no ingress rules
      ['shop/api', 'billing/api', 8080, 'TCP', true], // not selected
    ],
  },
  {
    name: 'Egress-only deny-all leaves ingress open',
    policies: [np('shop/deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    checks: [
      ['billing/api', 'shop/web', 8080, 'TCP', true],
      ['shop/web', 'billing/api', 8080, 'TCP', false],
      ['shop/web', 'shop/api', 8081, 'TCP', false],
    ],
  },
  {
    name: 'Ingress-only policyTypes ignores its egress rules',
    policies: [np('shop/ingress-only', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] }] })],
    checks: [
      ['shop/web', 'billing/api', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 8080, 'TCP', true],
    ],
  },
  {
    name: 'policyTypes [Ingress, Egress] with no rules denies both ways',
    policies: [np('shop/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    checks: [
      ['shop/web', 'billing/api', 8080, 'TCP', false],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
      ['billing/api', 'billing/worker', 80, 'TCP', true],
    ],
  },
  {
    name: 'allow-all ingress rule {} unions over a default deny',
    policies: [DENY_SHOP_INGRESS, np('shop/allow-all', { podSelector: {}, ingress: [{}] })],
    checks: [
      ['ops/probe', 'shop/db', 5432, 'TCP', true],
      ['billing/worker', 'shop/web', 1, 'UDP', true],
    ],
  },
  {
    name: 'empty from: [] means every source',
    policies: [np('shop/from-empty', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [], ports: [{ port: 8080 }] }] })],
    checks: [
      ['ops/probe', 'shop/web', 8080, 'TCP', true],
      ['ops/probe', 'shop/web', 9090, 'TCP', false],
    ],
  },
  {
    name: 'empty ports: [] means every port',
    policies: [np('shop/ports-empty', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: {} }], ports: [] }] })],
    checks: [
      ['shop/api', 'shop/web', 12345, 'UDP', true],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'explicit ingress: [] isolates with nothing allowed',
    policies: [np('shop/ingress-empty', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [] })],
    checks: [
      ['shop/api', 'shop/db', 5432, 'TCP', false],
      ['shop/api', 'shop/web', 8080, 'TCP', true],
    ],
  },
  {
    name: 'missing spec.podSelector selects every pod in the namespace',
    policies: [np('shop/no-selector', { policyTypes: ['Ingress'] })],
    checks: [
      ['ops/dns', 'shop/db', 5432, 'TCP', false],
      ['ops/dns', 'billing/api', 8080, 'TCP', true],
    ],
  },
  {
    name: 'podSelector-only peer means pods of the policy namespace',
    policies: [np('shop/from-api', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })],
    checks: [
      ['shop/api', 'shop/web', 8080, 'TCP', true],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'podSelector {} peer means every pod of the policy namespace only',
    policies: [np('shop/from-shop', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })],
    checks: [
      ['shop/db', 'shop/web', 8080, 'TCP', true],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'namespaceSelector-only peer means every pod of matching namespaces',
    policies: [np('shop/from-billing', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'billing' } } }] }] })],
    checks: [
      ['billing/api', 'shop/web', 8080, 'TCP', true],
      ['billing/worker', 'shop/web', 8080, 'TCP', true],
      ['shop/api', 'shop/web', 8080, 'TCP', false], // own namespace doesn't match
      ['ops/dns', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'namespaceSelector AND podSelector in one peer',
    policies: [np('shop/billing-api', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'billing' } }, podSelector: { matchLabels: { app: 'api' } } }] }] })],
    checks: [
      ['billing/api', 'shop/web', 8080, 'TCP', true],
      ['billing/worker', 'shop/web', 8080, 'TCP', false],
      ['shop/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'namespaceSelector OR podSelector as two peers',
    policies: [np('shop/billing-or-api', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'billing' } } }, { podSelector: { matchLabels: { app: 'api' } } }] }] })],
    checks: [
      ['billing/worker', 'shop/web', 8080, 'TCP', true],
      ['shop/api', 'shop/web', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'namespaceSelector {} means all namespaces',
    policies: [np('shop/any-ns', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    checks: [
      ['ops/dns', 'shop/web', 8080, 'TCP', true],
      ['shop/db', 'shop/web', 8080, 'TCP', true],
    ],
  },
  {
    name: 'namespaceSelector {} with podSelector: matching pods in any namespace',
    policies: [np('shop/any-api', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } }] }] })],
    checks: [
      ['billing/api', 'shop/web', 8080, 'TCP', true],
      ['shop/api', 'shop/web', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'automatic kubernetes.io/metadata.name namespace label',
    policies: [np('shop/from-ops', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }] }] })],
    checks: [
      ['ops/probe', 'shop/web', 8080, 'TCP', true],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'matchExpressions In on namespaces',
    policies: [np('shop/prod-only', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] } }] }] })],
    checks: [
      ['billing/worker', 'shop/web', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'matchExpressions NotIn (absent key matches)',
    policies: [np('shop/not-back', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }] } }] }] })],
    checks: [
      ['shop/web', 'shop/db', 5432, 'TCP', true], // tier=front
      ['ops/dns', 'shop/db', 5432, 'TCP', true], // no tier label at all
      ['shop/api', 'shop/db', 5432, 'TCP', false], // tier=back
    ],
  },
  {
    name: 'matchExpressions Exists',
    policies: [np('shop/has-tier', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }] }] })],
    checks: [
      ['billing/api', 'shop/db', 5432, 'TCP', true],
      ['billing/worker', 'shop/db', 5432, 'TCP', false],
    ],
  },
  {
    name: 'matchExpressions DoesNotExist',
    policies: [np('shop/no-tier', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }] }] })],
    checks: [
      ['billing/worker', 'shop/db', 5432, 'TCP', true],
      ['shop/web', 'shop/db', 5432, 'TCP', false],
    ],
  },
  {
    name: 'matchLabels AND matchExpressions in one selector',
    policies: [np('shop/back-db', { podSelector: { matchLabels: { tier: 'back' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, policyTypes: ['Ingress'] })],
    checks: [
      ['shop/web', 'shop/db', 5432, 'TCP', false], // selected: both parts hold
      ['shop/web', 'shop/api', 8081, 'TCP', true], // tier=back but app=api: not selected
    ],
  },
  {
    name: 'ipBlock with except',
    policies: [np('shop/from-billing-net', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.2.0.0/16', except: ['10.2.0.3/32'] } }] }] })],
    checks: [
      ['billing/api', 'shop/web', 8080, 'TCP', true],
      ['billing/worker', 'shop/web', 8080, 'TCP', false], // excepted
      ['shop/api', 'shop/web', 8080, 'TCP', false], // outside cidr
    ],
  },
  {
    name: 'ipBlock never matches a pod without a known IP',
    policies: [np('shop/egress-shop-net', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }] })],
    checks: [
      ['shop/web', 'shop/api', 8081, 'TCP', true],
      ['shop/web', 'shop/db', 5432, 'TCP', false],
    ],
  },
  {
    name: 'IPv6 ipBlock; 0.0.0.0/0 does not cover IPv6 pods',
    policies: [np('shop/v6', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/64' } }] }, { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 9090 }] }] })],
    checks: [
      ['ops/probe', 'shop/web', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 8080, 'TCP', false],
      ['ops/dns', 'shop/web', 9090, 'TCP', true],
      ['ops/probe', 'shop/api', 9090, 'TCP', true], // via the v6 rule
    ],
  },
  {
    name: 'named port resolves per destination pod',
    policies: [np('shop/http', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] })],
    checks: [
      ['ops/dns', 'shop/web', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 8081, 'TCP', false],
      ['ops/dns', 'shop/api', 8081, 'TCP', true],
      ['ops/dns', 'shop/api', 8080, 'TCP', false],
      ['ops/dns', 'shop/db', 8080, 'TCP', false], // no port named http there
    ],
  },
  {
    name: 'named port must match protocol (default TCP)',
    policies: [np('ops/dns-tcp-name', { podSelector: { matchLabels: { app: 'dns' } }, ingress: [{ ports: [{ port: 'dns' }] }] })],
    checks: [
      ['shop/web', 'ops/dns', 53, 'TCP', false], // "dns" is a UDP port
      ['shop/web', 'ops/dns', 53, 'UDP', false], // the rule itself is TCP
    ],
  },
  {
    name: 'named port with matching protocol',
    policies: [np('ops/dns-udp-name', { podSelector: { matchLabels: { app: 'dns' } }, ingress: [{ ports: [{ port: 'dns', protocol: 'UDP' }] }] })],
    checks: [
      ['shop/web', 'ops/dns', 53, 'UDP', true],
      ['shop/web', 'ops/dns', 53, 'TCP', false],
    ],
  },
  {
    name: 'named port in an egress rule resolves on the destination',
    policies: [np('shop/egress-http', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })],
    checks: [
      ['shop/web', 'billing/api', 8080, 'TCP', true], // billing/api http = 8080
      ['shop/web', 'shop/api', 8080, 'TCP', false], // shop/api http = 8081, though web's own http is 8080
      ['shop/web', 'shop/api', 8081, 'TCP', true],
      ['shop/web', 'billing/worker', 8080, 'TCP', false],
    ],
  },
  {
    name: 'endPort range is inclusive',
    policies: [np('shop/range', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8080 }] }] })],
    checks: [
      ['ops/dns', 'shop/web', 8000, 'TCP', true],
      ['ops/dns', 'shop/web', 8080, 'TCP', true],
      ['ops/dns', 'shop/web', 7999, 'TCP', false],
      ['ops/dns', 'shop/web', 8081, 'TCP', false],
      ['ops/dns', 'shop/web', 8040, 'UDP', false],
    ],
  },
  {
    name: 'UDP port rule does not open TCP',
    policies: [np('ops/dns-udp', { podSelector: { matchLabels: { app: 'dns' } }, ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })],
    checks: [
      ['shop/web', 'ops/dns', 53, 'UDP', true],
      ['shop/web', 'ops/dns', 53, 'TCP', false],
    ],
  },
  {
    name: 'TCP default does not open UDP',
    policies: [np('shop/tcp-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })],
    checks: [
      ['ops/dns', 'shop/web', 80, 'TCP', true],
      ['ops/dns', 'shop/web', 80, 'UDP', false],
    ],
  },
  {
    name: 'protocol-only port entry matches every port of that protocol',
    policies: [np('shop/all-udp', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] })],
    checks: [
      ['ops/dns', 'shop/web', 4242, 'UDP', true],
      ['ops/dns', 'shop/web', 4242, 'TCP', false],
    ],
  },
  {
    name: 'SCTP is its own protocol',
    policies: [np('shop/sctp', { podSelector: {}, ingress: [{ ports: [{ port: 9000, protocol: 'SCTP' }] }] })],
    checks: [
      ['ops/dns', 'shop/web', 9000, 'SCTP', true],
      ['ops/dns', 'shop/web', 9000, 'TCP', false],
    ],
  },
  {
    name: 'multiple policies selecting a pod are unioned',
    policies: [
      np('shop/db-from-api', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 5432 }] }] }),
      np('shop/db-from-billing', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'billing' } } }], ports: [{ port: 5432 }] }] }),
    ],
    checks: [
      ['shop/api', 'shop/db', 5432, 'TCP', true],
      ['billing/worker', 'shop/db', 5432, 'TCP', true],
      ['shop/web', 'shop/db', 5432, 'TCP', false],
      ['shop/api', 'shop/db', 5433, 'TCP', false],
    ],
  },
  {
    name: 'rules within one policy are unioned; from and ports within a rule are ANDed',
    policies: [
      np('shop/two-rules', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] },
          { from: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 9090 }] },
        ],
      }),
    ],
    checks: [
      ['shop/api', 'shop/web', 8080, 'TCP', true],
      ['shop/db', 'shop/web', 9090, 'TCP', true],
      ['shop/api', 'shop/web', 9090, 'TCP', false],
      ['shop/db', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'ingress and egress must both allow',
    policies: [
      np('shop/egress-billing', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'billing' } } }] }] }),
      np('billing/deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      np('billing/api-from-shop-web', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }] }] }),
    ],
    checks: [
      ['shop/web', 'billing/api', 8080, 'TCP', true], // both sides allow
      ['shop/api', 'billing/api', 8080, 'TCP', false], // egress ok, ingress denies
      ['shop/web', 'ops/dns', 53, 'UDP', false], // ingress open, egress denies
      ['shop/web', 'billing/worker', 80, 'TCP', false], // egress ok, ingress default-deny
    ],
  },
  {
    name: 'deny-all egress with a DNS allowance',
    policies: [
      np('shop/deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      np('shop/allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: { matchLabels: { app: 'dns' } } }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      }),
    ],
    checks: [
      ['shop/web', 'ops/dns', 53, 'UDP', true],
      ['shop/web', 'ops/dns', 53, 'TCP', true],
      ['shop/web', 'ops/dns', 80, 'TCP', false],
      ['shop/web', 'ops/probe', 53, 'UDP', false],
      ['shop/web', 'shop/api', 8081, 'TCP', false],
      ['billing/api', 'shop/web', 8080, 'TCP', true], // ingress untouched
    ],
  },
  {
    name: 'egress rule without `to` reaches every destination on its ports',
    policies: [np('shop/egress-dns-anywhere', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })],
    checks: [
      ['shop/api', 'billing/worker', 53, 'UDP', true],
      ['shop/api', 'billing/worker', 53, 'TCP', false],
    ],
  },
  {
    name: 'egress podSelector-only peer resolves in the policy (source) namespace',
    policies: [np('billing/egress-api', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })],
    checks: [
      ['billing/worker', 'billing/api', 8080, 'TCP', true],
      ['billing/worker', 'shop/api', 8081, 'TCP', false],
    ],
  },
  {
    name: 'cross-namespace default-deny: each namespace isolates only itself',
    policies: [DENY_SHOP_INGRESS, np('billing/deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })],
    checks: [
      ['shop/web', 'billing/api', 8080, 'TCP', false],
      ['billing/api', 'shop/web', 8080, 'TCP', false],
      ['shop/web', 'ops/dns', 53, 'UDP', true],
      ['ops/dns', 'ops/probe', 80, 'TCP', true],
    ],
  },
  {
    name: 'a policy never selects pods of other namespaces',
    policies: [np('billing/select-web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'] })],
    checks: [
      ['ops/dns', 'shop/web', 8080, 'TCP', true],
      ['shop/web', 'ops/dns', 53, 'UDP', true],
    ],
  },
  {
    name: 'self traffic (loopback) is allowed by default, even under default-deny both ways',
    policies: [np('shop/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    checks: [
      ['shop/api', 'shop/api', 8081, 'TCP', true],
      ['shop/db', 'shop/db', 5432, 'UDP', true],
      ['shop/api', 'shop/web', 8080, 'TCP', false],
    ],
  },
  {
    name: 'allowSelf: false (--judge-self): self traffic is judged by the rules',
    policies: [DENY_SHOP_INGRESS, np('shop/web-from-web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })],
    allowSelf: false,
    checks: [
      ['shop/api', 'shop/api', 8081, 'TCP', false],
      ['shop/web', 'shop/web', 8080, 'TCP', true],
    ],
  },
];

function cellFor(c: Case, [from, to, port, protocol]: Check): ReachabilityCell {
  const cells = expectedReachability(world(...c.policies), { ports: [port], protocols: [protocol], allowSelf: c.allowSelf });
  const cell = cells.find((x) => x.from === from && x.to === to);
  if (!cell) throw new Error(`no cell ${from} -> ${to}`);
  return cell;
}

const rows = cases.flatMap((c) => c.checks.map((check) => ({ c, check })));

describe('expectedReachability', () => {
  it.each(rows.map(({ c, check }) => [`${c.name}: ${check[0]} -> ${check[1]} ${check[2]}/${check[3]}`, c, check] as const))('%s', (_title, c, check) => {
    const cell = cellFor(c, check);
    expect(cell.allowed, cell.reason).toBe(check[4]);
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it('emits every ordered pair, self included, per port and protocol, sorted by from, to, port', () => {
    const cells = expectedReachability(world(), { ports: [443, 80], protocols: ['UDP', 'TCP'] });
    expect(cells).toHaveLength(pods.length * pods.length * 2 * 2);
    const keys = cells.map((c) => [c.from, c.to, String(c.port).padStart(5, '0'), c.protocol].join(' '));
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(cells[0]).toMatchObject({ from: 'billing/api', to: 'billing/api', port: 80, protocol: 'TCP', allowed: true });
  });

  it('names the deciding policies in reasons', () => {
    const c = cases.find((x) => x.name === 'ingress and egress must both allow')!;
    expect(cellFor(c, ['shop/web', 'billing/api', 8080, 'TCP', true]).reason).toBe('egress: allowed by shop/egress-billing; ingress: allowed by billing/api-from-shop-web');
    expect(cellFor(c, ['shop/api', 'billing/api', 8080, 'TCP', false]).reason).toBe('ingress: denied, isolated by billing/deny-ingress, billing/api-from-shop-web and no rule matches');
    expect(cellFor(cases[0]!, ['shop/web', 'shop/api', 80, 'TCP', true]).reason).toBe('egress: not isolated; ingress: not isolated');
  });

  it('allows self cells under default-deny by default, and judges them with allowSelf: false', () => {
    const cluster = world(np('shop/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    const self = (cells: ReachabilityCell[]) => cells.filter((c) => c.from === c.to && c.from.startsWith('shop/'));
    const byDefault = self(expectedReachability(cluster, { ports: [80], protocols: ['TCP'] }));
    expect(byDefault.length).toBeGreaterThan(0);
    for (const cell of byDefault) expect(cell).toMatchObject({ allowed: true, reason: "loopback: a pod's traffic to itself follows no policy" });
    expect(self(expectedReachability(cluster, { ports: [80], protocols: ['TCP'], allowSelf: true }))).toEqual(byDefault);
    const judged = self(expectedReachability(cluster, { ports: [80], protocols: ['TCP'], allowSelf: false }));
    expect(judged).toHaveLength(byDefault.length);
    for (const cell of judged) {
      expect(cell.allowed).toBe(false);
      expect(cell.reason).toBe('egress: denied, isolated by shop/deny-all and no rule matches; ingress: denied, isolated by shop/deny-all and no rule matches');
    }
  });

  it('says when an ipBlock could not match for want of an IP', () => {
    const c = cases.find((x) => x.name.startsWith('ipBlock never matches'))!;
    expect(cellFor(c, ['shop/web', 'shop/db', 5432, 'TCP', false]).reason).toContain('ipBlock in shop/egress-shop-net cannot match shop/db (no known IP)');
  });

  it('says when a named port is not declared on the destination', () => {
    const c = cases.find((x) => x.name === 'named port resolves per destination pod')!;
    expect(cellFor(c, ['ops/dns', 'shop/db', 8080, 'TCP', false]).reason).toContain('named port "http"/TCP not declared on shop/db');
  });

  it('treats pods in undeclared namespaces as carrying the automatic name label', () => {
    const cluster = {
      namespaces: [],
      pods: [
        { namespace: 'a', name: 'p', labels: {}, ports: [] },
        { namespace: 'b', name: 'q', labels: {}, ports: [] },
      ],
      policies: [np('a/from-b', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] }] })],
    };
    // allowSelf: false so the a/p -> a/p cell shows a/p is isolated (not loopback-allowed).
    const cells = expectedReachability(cluster, { ports: [80], protocols: ['TCP'], allowSelf: false });
    expect(cells.find((c) => c.from === 'b/q' && c.to === 'a/p')?.allowed).toBe(true);
    expect(cells.find((c) => c.from === 'a/p' && c.to === 'a/p')?.allowed).toBe(false);
  });

  it('rejects bad options', () => {
    expect(() => expectedReachability(world(), { ports: [0], protocols: ['TCP'] })).toThrow(/port number/);
    expect(() => expectedReachability(world(), { ports: [80], protocols: ['ICMP' as Protocol] })).toThrow(/unsupported protocol "ICMP"/);
  });
});

describe('effectivePolicyTypes (apiserver defaulting)', () => {
  it.each([
    ['unset, no egress', {}, ['Ingress']],
    ['unset, egress: []', { egress: [] }, ['Ingress']],
    ['unset, one egress rule', { egress: [{}] }, ['Ingress', 'Egress']],
    ['empty list, one egress rule', { policyTypes: [], egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit Egress only', { policyTypes: ['Egress'], ingress: [{}] }, ['Egress']],
  ] as const)('%s', (_name, spec, expected) => {
    const types = effectivePolicyTypes(np('x/p', structuredClone(spec) as NetworkPolicy['spec']));
    expect([...types].sort()).toEqual([...expected].sort());
  });
});

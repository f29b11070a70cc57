import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.ts';
import { parseManifests } from '../../../src/netpol/manifests.ts';

function messages(yaml: string, file = 'policies.yaml'): string[] {
  try {
    parseManifests(yaml, file);
  } catch (err) {
    if (err instanceof InputError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected an InputError');
}

const policy = (spec: string, meta = 'metadata: {name: p, namespace: prod}') =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${meta}\nspec:\n${spec
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;

describe('parseManifests', () => {
  it('reads namespaces, pods and policies, adding the automatic namespace label', () => {
    const cluster = parseManifests(
      `apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {team: shop, kubernetes.io/metadata.name: wrong}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {app: web}}
spec:
  containers:
    - name: a
      image: nginx
      ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]
    - name: b
      ports: [{containerPort: 9090, hostPort: 9090}]
status: {podIP: 10.0.0.7, phase: Running}
---
apiVersion: v1
kind: Pod
metadata: {name: job, namespace: batch}
status: {podIPs: [{ip: "fd00::9"}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: other}
spec: {podSelector: {}}
---
`,
      'm.yaml',
    );
    expect(cluster.namespaces).toEqual([
      { name: 'prod', labels: { team: 'shop', 'kubernetes.io/metadata.name': 'prod' } },
      { name: 'batch', labels: { 'kubernetes.io/metadata.name': 'batch' } },
      { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other' } },
    ]);
    expect(cluster.pods).toEqual([
      {
        namespace: 'prod',
        name: 'web',
        labels: { app: 'web' },
        ip: '10.0.0.7',
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { containerPort: 53, protocol: 'UDP' },
          { containerPort: 9090, protocol: 'TCP' },
        ],
      },
      { namespace: 'batch', name: 'job', labels: {}, ip: 'fd00::9', ports: [] },
    ]);
    expect(cluster.policies).toEqual([{ metadata: { name: 'deny', namespace: 'other' }, spec: { podSelector: {} } }]);
  });

  it('treats null fields as absent and reads List documents', () => {
    const cluster = parseManifests(
      `kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: p, namespace: prod}
    spec:
      podSelector:
      ingress:
      egress: ~
`,
      'list.yaml',
    );
    expect(cluster.policies[0]!.spec).toEqual({});
  });

  it('accepts an empty file', () => {
    expect(parseManifests('', 'empty.yaml')).toEqual({ namespaces: [], pods: [], policies: [] });
  });

  it.each<[string, string, string]>([
    [
      'unknown operator, located down to the field',
      `kind: Namespace\nmetadata: {name: prod}\n---\nkind: Pod\nmetadata: {name: a, namespace: prod}\n---\nkind: Pod\nmetadata: {name: b, namespace: prod}\n---\n${policy(
        'ingress:\n  - from:\n      - podSelector:\n          matchExpressions: [{key: app, operator: Inn, values: [a]}]',
      )}`,
      'policies.yaml: documents[3].spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: unknown operator "Inn" (expected In, NotIn, Exists, DoesNotExist)',
    ],
    ['In with no values', policy('podSelector: {matchExpressions: [{key: app, operator: In, values: []}]}'), 'policies.yaml: documents[0].spec.podSelector.matchExpressions[0].values: must be non-empty when operator is In'],
    [
      'Exists with values',
      policy('egress:\n  - to: [{namespaceSelector: {matchExpressions: [{key: env, operator: Exists, values: [x]}]}}]'),
      'policies.yaml: documents[0].spec.egress[0].to[0].namespaceSelector.matchExpressions[0].values: must be empty when operator is Exists',
    ],
    ['unknown protocol in a policy port', policy('ingress: [{ports: [{port: 80, protocol: ICMP}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].protocol: unsupported protocol "ICMP" (expected TCP, UDP, SCTP)'],
    ['lowercase protocol', policy('ingress: [{ports: [{port: 80, protocol: tcp}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].protocol: unsupported protocol "tcp" (expected TCP, UDP, SCTP)'],
    [
      'unknown protocol in a container port',
      'kind: Pod\nmetadata: {name: a, namespace: prod}\nspec: {containers: [{name: c, ports: [{containerPort: 80, protocol: HTTP}]}]}\n',
      'policies.yaml: documents[0].spec.containers[0].ports[0].protocol: unsupported protocol "HTTP" (expected TCP, UDP, SCTP)',
    ],
    ['pod without namespace', 'kind: Pod\nmetadata: {name: a}\n', 'policies.yaml: documents[0].metadata.namespace: missing namespace'],
    ['policy without namespace', policy('podSelector: {}', 'metadata: {name: p}'), 'policies.yaml: documents[0].metadata.namespace: missing namespace'],
    ['pod without name', 'kind: Pod\nmetadata: {namespace: prod}\n', 'policies.yaml: documents[0].metadata.name: required string is missing'],
    ['bad YAML', 'kind: Pod\nmetadata:\n  name: a\n  labels: {app: a\n', 'policies.yaml: documents[0]: invalid YAML at line 5, column 1: Flow map'],
    ['duplicate YAML keys', 'kind: Pod\nkind: Pod\n', 'policies.yaml: documents[0]: invalid YAML at line 2, column 1: Map keys must be unique'],
    ['unknown kind', '---\nkind: Namespace\nmetadata: {name: a}\n---\nkind: Service\nmetadata: {name: s}\n', 'policies.yaml: documents[1].kind: unknown kind "Service" (expected Namespace, Pod, NetworkPolicy, List)'],
    ['no kind', 'metadata: {name: s}\n', 'policies.yaml: documents[0].kind: expected an object with a `kind`'],
    ['a scalar document', 'just text\n', 'policies.yaml: documents[0]: expected an object with a `kind`'],
    ['typo in a policy field', policy('podSelector: {}\ningres: []'), 'policies.yaml: documents[0].spec.ingres: unknown field'],
    ['typo in a selector field', policy('podSelector: {matchLabel: {app: a}}'), 'policies.yaml: documents[0].spec.podSelector.matchLabel: unknown field'],
    ['empty peer', policy('ingress: [{from: [{}]}]'), 'policies.yaml: documents[0].spec.ingress[0].from[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)'],
    ['ipBlock with a selector', policy('ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, namespaceSelector: {}}]}]'), 'policies.yaml: documents[0].spec.ingress[0].from[0].ipBlock: may not be combined with podSelector or namespaceSelector'],
    ['bad CIDR', policy('ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/40}}]}]'), 'policies.yaml: documents[0].spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR "10.0.0.0/40"'],
    ['except outside cidr', policy('egress: [{to: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.1.0.0/24]}}]}]'), 'policies.yaml: documents[0].spec.egress[0].to[0].ipBlock.except[0]: must be a strict subset of cidr "10.0.0.0/16"'],
    ['endPort with a named port', policy('ingress: [{ports: [{port: http, endPort: 90}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].endPort: may not be specified when `port` is a named port'],
    ['endPort without port', policy('ingress: [{ports: [{endPort: 90}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].endPort: may not be specified when `port` is not specified'],
    ['endPort below port', policy('ingress: [{ports: [{port: 100, endPort: 90}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].endPort: must be between `port` and 65535'],
    ['port out of range', policy('ingress: [{ports: [{port: 70000}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].port: must be a port number (1-65535)'],
    ['quoted numeric port', policy('ingress: [{ports: [{port: "80"}]}]'), 'policies.yaml: documents[0].spec.ingress[0].ports[0].port: named port "80" is all digits; write the number unquoted'],
    ['unknown policy type', policy('policyTypes: [Ingress, egress]'), 'policies.yaml: documents[0].spec.policyTypes[1]: unknown policy type "egress" (expected Ingress, Egress)'],
    ['numeric label value', 'kind: Pod\nmetadata: {name: a, namespace: prod, labels: {version: 2}}\n', 'policies.yaml: documents[0].metadata.labels.version: expected string, got number 2 (quote it in YAML)'],
    [
      'label key with odd characters',
      policy('podSelector: {matchLabels: {app.kubernetes.io/name: "a b"}}'),
      "policies.yaml: documents[0].spec.podSelector.matchLabels[\"app.kubernetes.io/name\"]: invalid label value \"a b\": must be at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
    ],
    ['bad pod IP', 'kind: Pod\nmetadata: {name: a, namespace: prod}\nstatus: {podIP: 10.0.0.300}\n', 'policies.yaml: documents[0].status.podIP: invalid IP address "10.0.0.300"'],
    ['wrong apiVersion', policy('podSelector: {}').replace('networking.k8s.io/v1', 'extensions/v1beta1'), 'policies.yaml: documents[0].apiVersion: unsupported apiVersion "extensions/v1beta1" (expected networking.k8s.io/v1)'],
    ['duplicate pod', 'kind: Pod\nmetadata: {name: a, namespace: prod}\n---\nkind: Pod\nmetadata: {name: a, namespace: prod}\n', 'policies.yaml: documents[1].metadata.name: duplicate Pod prod/a'],
    ['List item errors are located inside the list', 'kind: List\nitems:\n  - kind: Pod\n    metadata: {name: a}\n', 'policies.yaml: documents[0].items[0].metadata.namespace: missing namespace'],
  ])('%s', (_name, yaml, expected) => {
    const found = messages(yaml);
    expect(
      found.some((m) => m.startsWith(expected)),
      `got:\n${found.join('\n')}`,
    ).toBe(true);
  });

  it('reports every problem at once, with issues naming file and path', () => {
    try {
      parseManifests('kind: Pod\nmetadata: {name: a}\n---\nkind: Secret\n', 'two.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).issues).toEqual([
        { file: 'two.yaml', path: 'documents[0].metadata.namespace', message: 'missing namespace' },
        { file: 'two.yaml', path: 'documents[1].kind', message: 'unknown kind "Secret" (expected Namespace, Pod, NetworkPolicy, List)' },
      ]);
      expect((err as InputError).exitCode).toBe(2);
    }
  });
});

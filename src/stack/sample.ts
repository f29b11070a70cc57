// The sample stack: a frontend and a backend built as current production
// practice would have them, so the harness checks that practice holds under
// chaos. Variants break it on purpose, to prove each assertion can fail.
import { pin } from '../tools/versions.ts';
import { stackNamespace } from './namespace.ts';
import { SPOT_TAINT, ZONE_LABEL } from '../core/node-roles.ts';
import type { StackVariant } from '../scenario/schema.ts';

export type Variant = StackVariant;

type Obj = Record<string, any>;

export const FRONTEND_NODE_PORT = 30080;
/** Label a node gets when the never-ready variant pins the backend to it. */
export const PIN_LABEL = 'shakedown.dev/stack-pinned';

export function agentImage(): string {
  return `${pin('IMAGE_REPO')}/agent:${pin('AGENT_VERSION')}`;
}

function deployment(name: string, namespace: string, replicas: number, env: Obj[], variant: Variant): Obj {
  const labels = { app: name, 'app.kubernetes.io/part-of': 'shakedown-sample' };
  const resources = variant === 'no-requests' && name === 'backend' ? {} : { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '250m', memory: '64Mi' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 15,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          // Workloads run on the spot pool; the spare replacement node is tainted until a reclaim.
          tolerations: [{ key: SPOT_TAINT, operator: 'Exists', effect: 'NoSchedule' }],
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: name } } }],
          // one-zone: the whole stack kept in one zone, as a team keeps it beside its data; a zone outage takes it all.
          ...(variant === 'one-zone' && { nodeSelector: { [ZONE_LABEL]: 'zone-a' } }),
          ...(variant === 'never-ready' && name === 'backend'
            ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: PIN_LABEL, operator: 'In', values: ['true'] }] }] } } } }
            : {}),
          containers: [
            {
              name: 'agent',
              image: agentImage(),
              imagePullPolicy: 'IfNotPresent',
              args: ['serve', '--listen', ':8080'],
              env: [{ name: 'DRAIN_SECONDS', value: '3' }, ...env],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 2 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
              resources,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function service(name: string, namespace: string, nodePort?: number): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      selector: { app: name },
      type: nodePort ? 'NodePort' : 'ClusterIP',
      ports: [{ name: 'http', port: 80, targetPort: 'http', ...(nodePort && { nodePort }) }],
    },
  };
}

function pdb(name: string, namespace: string): Obj {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec: { minAvailable: '50%', selector: { matchLabels: { app: name } } } };
}

function policies(namespace: string, variant: Variant): Obj[] {
  const np = (name: string, spec: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  const list = [
    np('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    np('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    // The load comes from outside the cluster through the NodePort.
    np('frontend-ingress', { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http' }] }] }),
    np('frontend-to-backend', { podSelector: { matchLabels: { app: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [{ port: 8080 }] }] }),
    np('backend-from-frontend', { podSelector: { matchLabels: { app: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 'http' }] }] }),
  ];
  if (variant === 'allow-all') list.push(np('allow-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }));
  return list;
}

function hpa(namespace: string): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'backend', namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' },
      minReplicas: 3,
      maxReplicas: 8,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 2, periodSeconds: 15 }] },
        // Back to the minimum in one step after 30 s quiet, so a run sees the scale-in (production keeps 5 min).
        scaleDown: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 5, periodSeconds: 15 }] },
      },
    },
  };
}

/** Every object of the sample stack, in apply order. */
export function sampleStack(namespace: string, variant: Variant): Obj[] {
  const replicas = variant === 'single-replica' ? 1 : 3;
  const objects: Obj[] = [
    stackNamespace(namespace),
    // The backend burns 10 ms of CPU per request, so load really drives its HPA.
    deployment('backend', namespace, replicas, [{ name: 'BUSY_MS', value: '10' }], variant),
    service('backend', namespace),
    // no-keepalive: a new connection, so a fresh DNS lookup, for every call to the backend.
    deployment('frontend', namespace, replicas, [{ name: 'BACKEND_URL', value: `http://backend.${namespace}.svc.cluster.local/` }, ...(variant === 'no-keepalive' ? [{ name: 'BACKEND_KEEPALIVE', value: 'false' }] : [])], variant),
    service('frontend', namespace, FRONTEND_NODE_PORT),
    ...policies(namespace, variant),
    // A single replica means single: no autoscaler to add more.
    ...(variant === 'single-replica' ? [] : [hpa(namespace)]),
  ];
  if (variant !== 'no-pdb') objects.push(pdb('frontend', namespace), pdb('backend', namespace));
  return objects;
}

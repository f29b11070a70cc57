// The scenario file format, shakedown.dev/v1alpha1. One zod source yields the
// validator (strict: unknown keys are errors) and the committed JSON Schema.
// Fault and assertion params are validated in a second pass against the
// registries, so the messages can name an unknown type plainly.
import { z } from 'zod';
import { CNI_REGISTRY } from '../clusters/cni/registry.ts';
import { duration } from './duration.ts';

export const API_VERSION = 'shakedown.dev/v1alpha1';
export const DEFAULT_KUBERNETES_VERSION = 'v1.34.10';

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label: lower-case letters, digits and "-"')
  .max(40);

/** `auto` picks by node image: kube-router on the one built here, kindnet on kind's upstream one. */
/** The sample stack, healthy or broken on purpose (each to prove an assertion can fail). */
export const STACK_VARIANTS = ['healthy', 'no-pdb', 'single-replica', 'never-ready', 'allow-all', 'no-requests', 'one-zone', 'no-keepalive'] as const;
export type StackVariant = (typeof STACK_VARIANTS)[number];

export const CNIS = ['auto', ...Object.keys(CNI_REGISTRY)] as [string, ...string[]];

export const ClusterSpec = z
  .strictObject({
    provider: z.enum(['kind', 'existing']).default('kind').describe('kind boots a local cluster; existing attaches to one you name'),
    name: dnsLabel.optional().describe('Cluster name; default shakedown-<scenario>'),
    context: z.string().min(1).optional().describe('kubeconfig context of an existing cluster (provider: existing)'),
    kubeconfig: z.string().min(1).optional(),
    cni: z
      .enum(CNIS)
      .default('auto')
      .describe(
        `auto: kube-router where no registry is reachable, kindnet elsewhere; ${Object.values(CNI_REGISTRY)
          .map((c) => `${c.name}: ${c.summary}`)
          .join('; ')}`,
      ),
    kubernetesVersion: z
      .string()
      .regex(/^v\d+\.\d+\.\d+$/, 'must look like v1.34.10')
      .optional()
      .describe(`the version the cluster must boot; unset: the node image's own (${DEFAULT_KUBERNETES_VERSION} for the image built here); a version no node image here boots is refused`),
    image: z.string().min(1).optional().describe('kind node image; default chosen by version and registry access'),
    workers: z.number().int().min(1).max(8).default(2),
    spare: z.number().int().min(0).max(3).default(1).describe('extra workers, tainted until a spot replacement needs them'),
    reuse: z.boolean().default(false).describe('reuse a running cluster with the same name and config'),
    fence: z.enum(['auto', 'on', 'off']).default('auto').describe('keep all cluster traffic on this machine'),
  })
  .prefault({});

export const StackSpec = z
  .strictObject({
    namespace: dnsLabel.default('shakedown-stack'),
    sample: z.boolean().default(true).describe('deploy the sample web stack'),
    variant: z.enum(STACK_VARIANTS).default('healthy').describe('a deliberately broken sample stack, to prove assertions can fail'),
    manifests: z.array(z.string().min(1)).default([]).describe('your own manifests, relative to the scenario file'),
    deployments: z.array(dnsLabel).default([]).describe('deployments to watch; default: every deployment of the stack'),
  })
  .prefault({});

export const LoadSpec = z.strictObject({
  tool: z.literal('k6').default('k6'),
  script: z.string().min(1).optional().describe('a k6 script; default: HTTP GET against the target'),
  target: z
    .strictObject({
      service: dnsLabel.default('frontend'),
      port: z.number().int().min(1).max(65535).default(80),
      path: z.string().startsWith('/').default('/'),
    })
    .prefault({}),
  vus: z.number().int().min(1).max(1000).default(10),
  rate: z.number().int().min(1).max(10_000).optional().describe('requests per second (constant arrival rate)'),
  duration: duration({ min: 1000 }),
  thresholds: z
    .strictObject({
      errorRate: z.number().min(0).max(1).optional().describe('k6 http_req_failed rate<=X over the whole load'),
      p95: duration().optional().describe('k6 http_req_duration p(95)<=X over the whole load'),
    })
    .optional()
    .describe('k6 thresholds over the whole load, handed to k6; crossing one fails the run (fault windows are judged by availability)'),
});

export const FaultSpec = z.strictObject({
  id: dnsLabel.optional().describe('defaults to <type>-<index>'),
  type: z.string().min(1),
  at: duration().describe('offset from the start of load'),
  duration: duration({ min: 1 }).optional().describe('how long the fault stays applied before it is reverted'),
  params: z.record(z.string(), z.unknown()).default({}),
  assert: z.array(z.string().min(1)).default([]).describe('assertions judged inside this fault window'),
});

export const AssertionSpec = z.strictObject({
  name: dnsLabel.optional().describe('defaults to the type'),
  type: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const ReportSpec = z
  .strictObject({
    formats: z.array(z.enum(['json', 'junit', 'markdown', 'html'])).default(['json', 'junit', 'markdown', 'html']),
  })
  .prefault({});

export const Metadata = z.strictObject({
  name: dnsLabel,
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const ScenarioDocument = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Scenario'),
  metadata: Metadata,
  cluster: ClusterSpec,
  stack: StackSpec,
  load: LoadSpec.optional(),
  faults: z.array(FaultSpec).default([]),
  assertions: z.array(AssertionSpec).default([]),
  recovery: z
    .strictObject({ timeout: duration().prefault('60s') })
    .prefault({})
    .describe('how long after the last fault the system may take to recover'),
  report: ReportSpec,
});

export const SuiteDocument = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal('Suite'),
  metadata: Metadata,
  cluster: ClusterSpec,
  scenarios: z.array(z.string().min(1)).min(1).describe('scenario files, relative to the suite file; they share one cluster'),
  repeat: z.number().int().min(1).max(20).default(1),
  regressionMargin: z.number().min(0).max(10).default(0.25).describe('a held scenario is regressed when its recovery time or p95 is worse than the median of its last 7 held runs by more than this fraction'),
});

export type ScenarioInput = z.input<typeof ScenarioDocument>;
export type ScenarioDoc = z.output<typeof ScenarioDocument>;
export type SuiteDoc = z.output<typeof SuiteDocument>;
export type ClusterSpecT = z.output<typeof ClusterSpec>;
export type LoadSpecT = z.output<typeof LoadSpec>;

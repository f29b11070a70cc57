// Zod schemas for the manifest kinds we read, carrying the apiserver's
// validation rules (networking/validation, metav1 ValidateLabelSelector) so a
// manifest the cluster would reject is rejected here with a located message.
// NetworkPolicy parts are strict: a typo like `podselector` would otherwise
// silently widen a policy. Pod/Namespace objects are loose: real manifests
// carry many fields we don't need.
import * as z from 'zod';
import { parseCIDR, parseIP, isStrictSubset } from './cidr.ts';
import { PROTOCOLS } from './model.ts';
import type { LabelSelector, NetworkPolicyPort } from './model.ts';
import { labelKeyError, labelValueError, validateSelector } from './selector.ts';

type Path = (string | number)[];
type Ctx = { addIssue: (issue: { code: 'custom'; path: Path; message: string }) => void };
const report = (ctx: Ctx, path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });

const labels = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  for (const [key, value] of Object.entries(map)) {
    const error = labelKeyError(key) ?? labelValueError(value);
    if (error) report(ctx, [key], error);
  }
});

const protocol = z.enum(PROTOCOLS, {
  error: (iss) => `unsupported protocol ${JSON.stringify(iss.input)} (expected ${PROTOCOLS.join(', ')})`,
});

const portNumber = z.int().min(1, 'must be a port number (1-65535)').max(65535, 'must be a port number (1-65535)');

/** IANA_SVC_NAME, the syntax of container port names and named policy ports. */
export function portNameError(name: string): string | undefined {
  if (/^[0-9]+$/.test(name)) return `named port ${JSON.stringify(name)} is all digits; write the number unquoted`;
  const ok = name.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) && !name.includes('--') && /[a-z]/.test(name);
  return ok ? undefined : `invalid port name ${JSON.stringify(name)}: 1-15 lowercase alphanumerics or '-', with a letter, no leading, trailing or double '-'`;
}

export const selectorSchema = z
  .strictObject({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z.array(z.strictObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() })).optional(),
  })
  .superRefine((selector, ctx) => {
    for (const issue of validateSelector(selector)) report(ctx, issue.path, issue.message);
  })
  // validateSelector has vetted every operator, so the model type holds.
  .transform((selector) => selector as LabelSelector);

const policyPort = z
  .strictObject({
    port: z.union([z.int(), z.string()], { error: 'expected a port number or a port name' }).optional(),
    endPort: z.int().optional(),
    protocol: protocol.optional(),
  })
  .superRefine((p: NetworkPolicyPort, ctx) => {
    if (typeof p.port === 'number') {
      if (p.port < 1 || p.port > 65535) report(ctx, ['port'], 'must be a port number (1-65535)');
      if (p.endPort !== undefined && (p.endPort < p.port || p.endPort > 65535)) {
        report(ctx, ['endPort'], 'must be between `port` and 65535');
      }
    } else if (typeof p.port === 'string') {
      const error = portNameError(p.port);
      if (error) report(ctx, ['port'], error);
      if (p.endPort !== undefined) report(ctx, ['endPort'], 'may not be specified when `port` is a named port');
    } else if (p.endPort !== undefined) {
      report(ctx, ['endPort'], 'may not be specified when `port` is not specified');
    }
  });

const ipBlock = z.strictObject({ cidr: z.string(), except: z.array(z.string()).optional() }).superRefine((block, ctx) => {
  const cidr = parseCIDR(block.cidr);
  if (!cidr) return report(ctx, ['cidr'], `invalid CIDR ${JSON.stringify(block.cidr)}`);
  (block.except ?? []).forEach((text, i) => {
    const except = parseCIDR(text);
    if (!except) report(ctx, ['except', i], `invalid CIDR ${JSON.stringify(text)}`);
    else if (!isStrictSubset(except, cidr)) report(ctx, ['except', i], `must be a strict subset of cidr ${JSON.stringify(block.cidr)}`);
  });
});

const peer = z.strictObject({ podSelector: selectorSchema.optional(), namespaceSelector: selectorSchema.optional(), ipBlock: ipBlock.optional() }).superRefine((p, ctx) => {
  const kinds = [p.podSelector, p.namespaceSelector, p.ipBlock].filter((x) => x !== undefined).length;
  if (kinds === 0) report(ctx, [], 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
  else if (kinds > 1 && p.ipBlock) report(ctx, ['ipBlock'], 'may not be combined with podSelector or namespaceSelector');
});

const policyTypes = z.array(z.enum(['Ingress', 'Egress'], { error: (iss) => `unknown policy type ${JSON.stringify(iss.input)} (expected Ingress, Egress)` }));

const policySpec = z.strictObject({
  podSelector: selectorSchema.optional(),
  policyTypes: policyTypes.optional(),
  ingress: z.array(z.strictObject({ from: z.array(peer).optional(), ports: z.array(policyPort).optional() })).optional(),
  egress: z.array(z.strictObject({ to: z.array(peer).optional(), ports: z.array(policyPort).optional() })).optional(),
});

const name = z.string().min(1, 'must not be empty');
const metadata = z.looseObject({ name, namespace: name.optional(), labels: labels.optional() });
const apiVersion = (expected: string) => z.literal(expected, { error: (iss) => `unsupported apiVersion ${JSON.stringify(iss.input)} (expected ${expected})` }).optional();

export const namespaceSchema = z.looseObject({ apiVersion: apiVersion('v1'), kind: z.literal('Namespace'), metadata });

const containerPort = z.looseObject({
  name: z
    .string()
    .superRefine((n, ctx) => {
      const error = portNameError(n);
      if (error) report(ctx, [], error);
    })
    .optional(),
  containerPort: portNumber,
  protocol: protocol.optional(),
});

const ip = z.string().superRefine((text, ctx) => {
  if (!parseIP(text)) report(ctx, [], `invalid IP address ${JSON.stringify(text)}`);
});

export const podSchema = z.looseObject({
  apiVersion: apiVersion('v1'),
  kind: z.literal('Pod'),
  metadata,
  // Lenient on purpose: a Pod written only for reachability may omit spec.
  spec: z.looseObject({ containers: z.array(z.looseObject({ ports: z.array(containerPort).optional() })).optional() }).optional(),
  status: z.looseObject({ podIP: ip.optional(), podIPs: z.array(z.looseObject({ ip })).optional() }).optional(),
});

export const networkPolicySchema = z.looseObject({
  apiVersion: apiVersion('networking.k8s.io/v1'),
  kind: z.literal('NetworkPolicy'),
  metadata,
  // A missing spec decodes to the zero spec on the apiserver: {} selector, [Ingress].
  spec: policySpec.optional(),
});

export const listSchema = z.looseObject({ kind: z.literal('List'), items: z.array(z.unknown()) });

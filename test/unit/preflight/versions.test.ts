// Version questions for --target-version: removed APIs in manifests and in
// the apiserver's metric, and kubelet / kube-proxy / control-plane skew.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deprecatedApiFindings, parseDeprecatedApiMetric } from '../../../src/preflight/deprecated-metric.ts';
import { parseKubeVersion } from '../../../src/preflight/k8s-version.ts';
import { manifestFindings, scanManifests, scanManifestText } from '../../../src/preflight/manifest-apis.ts';
import { REMOVED_APIS, removedBy } from '../../../src/preflight/removed-apis.ts';
import { controlPlaneFindings, kubeProxyVersions, nodeSkewFindings } from '../../../src/preflight/skew.ts';
import { node, pod } from './fixtures.ts';

describe('the removal table', () => {
  it('covers each release from v1.16 to v1.32 that removed APIs, each row with a replacement', () => {
    expect([...new Set(REMOVED_APIS.map((r) => r.removedIn))].sort((a, b) => a - b)).toEqual([16, 22, 25, 26, 27, 29, 32]);
    expect(REMOVED_APIS.every((r) => r.replacement.length > 0)).toBe(true);
  });

  it.each([
    ['policy/v1beta1', 'PodDisruptionBudget', 24, undefined],
    ['policy/v1beta1', 'PodDisruptionBudget', 25, 'policy/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 35, 'flowcontrol.apiserver.k8s.io/v1'],
    ['apps/v1', 'Deployment', 35, undefined],
  ])('%s %s on v1.%i: %s', (apiVersion, kind, target, replacement) => {
    expect(removedBy(apiVersion, kind, target)?.replacement).toBe(replacement);
  });
});

describe('manifests', () => {
  const text = [
    'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {minAvailable: 1}',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}',
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: autoscaling/v2beta2\n  kind: HorizontalPodAutoscaler\n  metadata: {name: web}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n  x: [unclosed',
  ].join('\n---\n');

  it('finds removed APIs document by document, List items included, and skips what is not YAML', () => {
    const scan = scanManifestText(text, 'web.yaml', 35);
    expect(scan.objects).toBe(3);
    expect(scan.uses.map((u) => [u.document, u.apiVersion, u.kind, u.name])).toEqual([
      [1, 'policy/v1beta1', 'PodDisruptionBudget', 'web'],
      [3, 'autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'web'],
    ]);
    expect(scan.unreadable.map((u) => u.document)).toEqual([4]);
    const findings = manifestFindings(scan, 'v1.35');
    expect(findings[0]).toEqual({
      severity: 'blocker',
      check: 'removed-api',
      object: 'web.yaml (document 1) PodDisruptionBudget web',
      message: 'policy/v1beta1 PodDisruptionBudget is not served since v1.25, so v1.35 refuses it',
      fix: 'use policy/v1',
    });
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.check)).toEqual(['manifest-unreadable']);
  });

  it('reads every YAML file under a directory, recursively', () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-manifests-'));
    mkdirSync(join(dir, 'chart'));
    writeFileSync(join(dir, 'chart', 'rendered.yaml'), 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly}\n');
    writeFileSync(join(dir, 'notes.txt'), 'apiVersion: batch/v1beta1\nkind: CronJob\n');
    const scan = scanManifests(dir, 30);
    expect(scan.files).toBe(1);
    expect(scan.uses.map((u) => `${u.kind} ${u.name}`)).toEqual(['CronJob nightly']);
  });
});

describe('the apiserver_requested_deprecated_apis metric', () => {
  const metrics = [
    '# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested',
    '# TYPE apiserver_requested_deprecated_apis gauge',
    'apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="flowschemas",subresource="",version="v1beta3"} 1',
    'apiserver_requested_deprecated_apis{group="",removed_release="",resource="componentstatuses",subresource="",version="v1"} 1',
    'apiserver_request_total{code="200"} 5',
  ].join('\n');

  it('names each deprecated API in use; those the target no longer serves are blockers', () => {
    const uses = parseDeprecatedApiMetric(metrics);
    expect(uses).toEqual([
      { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', subresource: '', removedRelease: '1.32' },
      { group: '', version: 'v1', resource: 'componentstatuses', subresource: '', removedRelease: '' },
    ]);
    const findings = deprecatedApiFindings(uses, 35, 'v1.35');
    expect(findings.map((f) => [f.severity, f.object])).toEqual([
      ['blocker', 'API flowcontrol.apiserver.k8s.io/v1beta3 flowschemas'],
      ['info', 'API v1 componentstatuses'],
    ]);
    expect(deprecatedApiFindings(uses, 31, 'v1.31')[0]!.severity).toBe('info');
  });
});

describe('version skew', () => {
  const target = parseKubeVersion('v1.35')!;

  it.each([
    ['v1.34.10', 'v1.35', 'info', /one minor release/],
    ['v1.35.1', 'v1.35.4', 'info', /a patch upgrade/],
    ['v1.33.2', 'v1.35', 'blocker', /one minor release at a time, not 2/],
    ['v1.35.0', 'v1.34', 'blocker', /downgrade/],
  ])('control plane %s to %s: %s', (server, to, severity, message) => {
    const [finding] = controlPlaneFindings(parseKubeVersion(server), parseKubeVersion(to)!);
    expect(finding?.severity).toBe(severity);
    expect(finding?.message).toMatch(message);
  });

  it.each([
    ['v1.34.10', undefined],
    ['v1.32.0', undefined],
    ['v1.31.9', 'kubelet v1.31.9 is 4 minor releases behind v1.35; the skew policy allows 3'],
    ['v1.36.0', 'kubelet v1.36.0 is newer than the target apiserver v1.35; the skew policy forbids a kubelet newer than the apiserver'],
  ])('kubelet %s against v1.35: %s', (kubelet, message) => {
    const findings = nodeSkewFindings(
      [node('w1', { kubelet })],
      [pod('kube-proxy-abc', 'w1', { namespace: 'kube-system', kind: 'DaemonSet' })].map((p) => ({ ...p, images: ['registry.k8s.io/kube-proxy:v1.34.10'] })),
      target,
    );
    expect(findings.find((f) => f.check === 'kubelet-skew')?.message).toBe(message);
  });

  it('allows kubelets before v1.25 only two minors behind', () => {
    const findings = nodeSkewFindings([node('old', { kubelet: 'v1.24.3' })], [], parseKubeVersion('v1.27')!);
    expect(findings.find((f) => f.check === 'kubelet-skew')?.message).toContain('3 minor releases behind v1.27; the skew policy allows 2');
  });

  it("takes kube-proxy's version from nodeInfo, else from its pod's image tag, and says where there is none", () => {
    const nodes = [{ ...node('a'), kubeProxyVersion: 'v1.31.0' }, node('b'), node('c')];
    const pods = [{ ...pod('kube-proxy-x', 'b', { namespace: 'kube-system', kind: 'DaemonSet' }), images: ['shakedown/kube-proxy:v1.34.10'] }];
    expect([...kubeProxyVersions(nodes, pods)]).toEqual([
      ['a', 'v1.31.0'],
      ['b', 'v1.34.10'],
      ['c', undefined],
    ]);
    const findings = nodeSkewFindings(nodes, pods, target);
    expect(findings.filter((f) => f.check === 'kube-proxy-skew').map((f) => [f.severity, f.object])).toEqual([
      ['blocker', 'Node a'],
      ['info', 'Node c'],
    ]);
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { missingTools } from '../../../src/clusters/cni/host-tools.ts';
import { kubeRouterManifest } from '../../../src/clusters/cni/kube-router/index.ts';
import { CNI_REGISTRY } from '../../../src/clusters/cni/registry.ts';
import { fetchPinned, readPins, sha256, type SourcePins } from '../../../src/clusters/cni/pinned-source.ts';

describe('kube-router manifests', () => {
  it('fills the node image template and switches only the firewall', () => {
    const on = kubeRouterManifest({ imageRepository: 'shakedown', podSubnet: '10.9.0.0/16', firewall: true });
    const off = kubeRouterManifest({ imageRepository: 'shakedown', podSubnet: '10.9.0.0/16', firewall: false });
    expect(off).toContain('--run-firewall=false');
    expect(off).not.toContain('--run-firewall=true');
    expect(off.replace('--run-firewall=false', '--run-firewall=true')).toBe(on);
    expect(off).not.toMatch(/@KUBE_ROUTER_IMAGE@|\{\{/);
    expect(off).toContain('value: "10.9.0.0/16"');
    const kinds = parseAllDocuments(off)
      .map((d) => (d.toJS() as { kind?: string } | null)?.kind)
      .filter(Boolean);
    expect(kinds).toContain('DaemonSet');
  });
});

describe('what a CNI install needs from the host', () => {
  it('names the tools that do not answer here', async () => {
    expect(await missingTools({ ...CNI_REGISTRY.cilium!, tools: ['git', 'shakedown-no-such-tool'] })).toEqual(['shakedown-no-such-tool']);
    expect(await missingTools(CNI_REGISTRY['kube-router']!)).toEqual([]);
  });
  it('every pinned source named by a CNI is committed', () => {
    for (const cni of Object.values(CNI_REGISTRY)) if (cni.pins) expect(readPins(cni.pins).version, cni.name).toBeTruthy();
  });
});

describe('pinned CNI sources', () => {
  const body = 'kind: List\nitems: []\n';
  let server: ReturnType<typeof createServer>;
  let base = '';
  let hits = 0;
  beforeAll(async () => {
    // A server on loopback stands in for the release host: nothing leaves the machine.
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/missing.yaml') res.writeHead(404).end();
      else res.end(req.url === '/changed.yaml' ? `${body}# changed\n` : body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  const pins = (path: string): SourcePins => ({ file: 'clusters/cni/test.yaml', version: 'v1', source: { url: `${base}${path}`, sha256: sha256(body) } });

  it('downloads once, checks the sha256, then serves the verified copy from the cache', async () => {
    const env = { SHAKEDOWN_CACHE: mkdtempSync(join(tmpdir(), 'shakedown-cni-')) };
    const first = await fetchPinned(pins('/calico.yaml'), AbortSignal.timeout(5000), env);
    expect(readFileSync(first, 'utf8')).toBe(body);
    const before = hits;
    expect(await fetchPinned(pins('/calico.yaml'), AbortSignal.timeout(5000), env)).toBe(first);
    expect(hits).toBe(before);
  });

  it('refuses a file whose bytes changed, and says why a download failed', async () => {
    const env = { SHAKEDOWN_CACHE: mkdtempSync(join(tmpdir(), 'shakedown-cni-')) };
    await expect(fetchPinned(pins('/changed.yaml'), AbortSignal.timeout(5000), env)).rejects.toThrow(/clusters\/cni\/test.yaml: .*changed.yaml has sha256 [0-9a-f]{64}, pinned .*refusing a file that changed/);
    await expect(fetchPinned(pins('/missing.yaml'), AbortSignal.timeout(5000), env)).rejects.toThrow('cannot download');
  });

  it('the committed pins are well formed: Calico by manifest hash, Cilium by chart hash and image digests', () => {
    const calico = readPins('calico');
    expect(calico.source.url).toContain(`/${calico.version}/manifests/calico.yaml`);
    const cilium = readPins('cilium');
    expect(cilium.source.url).toContain(`cilium-${cilium.version}.tgz`);
    for (const key of ['image.digest', 'operator.image.genericDigest', 'envoy.image.digest']) expect(cilium.values?.[key]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cilium.values?.['ipam.mode']).toBe('kubernetes');
    // No registry host in the pins: images are named by the chart.
    expect(JSON.stringify(parse(readFileSync('clusters/cni/cilium.yaml', 'utf8')))).not.toMatch(/quay|docker\.io/);
  });
});

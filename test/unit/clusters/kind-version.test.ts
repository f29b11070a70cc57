// cluster.kubernetesVersion is honoured or refused: a scenario asking for a
// version the node image does not boot is exit 3 with the reason.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InfraError } from '../../../src/errors.ts';
import { builtImageTagFile, resolveNodeImage, UPSTREAM_NODE_IMAGE, type NodeImage } from '../../../src/clusters/kind/image.ts';
import { requireImageVersion, versionOfImage } from '../../../src/clusters/kind/version-check.ts';
import { pin } from '../../../src/tools/versions.ts';

const built: NodeImage = { image: 'shakedown/node:v1.34.10-abc', source: 'built-locally', imageRepository: 'shakedown', kubernetesVersion: pin('KUBERNETES_VERSION') };
const upstream: NodeImage = { image: UPSTREAM_NODE_IMAGE, source: 'upstream', kubernetesVersion: 'v1.35.0' };

function refusal(image: NodeImage, wanted: string, options?: { registryCni?: string }): InfraError {
  try {
    requireImageVersion(image, wanted, options);
  } catch (error) {
    return error as InfraError;
  }
  throw new Error(`${wanted} on ${image.image} was accepted`);
}

describe('cluster.kubernetesVersion against the node image', () => {
  it('accepts the version the image boots', () => {
    expect(() => requireImageVersion(built, pin('KUBERNETES_VERSION'))).not.toThrow();
    expect(() => requireImageVersion(upstream, 'v1.35.0')).not.toThrow();
  });

  it.each([
    [
      'a scenario-named local image of another version',
      { ...built, source: 'scenario' } as NodeImage,
      'v1.35.4',
      undefined,
      /^cluster\.image shakedown\/node:v1\.34\.10-abc boots Kubernetes v1\.34\.10, and cluster\.kubernetesVersion asks for v1\.35\.4/,
    ],
    [
      'a known version not built yet (the upstream fallback)',
      upstream,
      'v1.34.10',
      undefined,
      /upstream node image is Kubernetes v1\.35\.0 .*no node image of v1\.34\.10 is built here yet: build it with `KUBERNETES_VERSION=v1\.34\.10 task cluster:images`/,
    ],
    ['a version the build does not know', upstream, 'v1.33.1', undefined, /this machine builds node images of v1\.34\.10 and v1\.35\.4 only: set it to v1\.34\.10 or v1\.35\.4/],
    ['any other version for a registry CNI', upstream, 'v1.34.10', { registryCni: 'calico' }, /^CNI calico boots on kind's upstream node image, Kubernetes v1\.35\.0 .*set it to v1\.35\.0/],
    ['a scenario image whose tag says another version', { image: 'kindest/node:v1.33.1@sha256:abc', source: 'scenario' } as NodeImage, 'v1.34.10', undefined, /^cluster\.image kindest\/node:v1\.33\.1@sha256:abc boots Kubernetes v1\.33\.1/],
  ] as const)('refuses %s with exit 3 and the reason', (_name, image, wanted, options, message) => {
    const error = refusal(image, wanted, options);
    expect(error).toBeInstanceOf(InfraError);
    expect(error.exitCode).toBe(ExitCode.infrastructure);
    expect(error.message).toMatch(message);
    if (options?.registryCni) expect(error.message).not.toContain('task cluster:images');
  });

  it('takes an image of unknown version at its word', () => {
    expect(versionOfImage({ image: 'my/node:latest', source: 'scenario' })).toBeUndefined();
    expect(() => requireImageVersion({ image: 'my/node:latest', source: 'scenario' }, 'v1.30.0')).not.toThrow();
  });

  it('reads the version a locally built image boots from its tag, so another asked for is refused before any boot', async () => {
    // The scenario names the image, so no engine is asked.
    const image = await resolveNodeImage('shakedown/node:v1.35.4-0123abcdef', {});
    expect(image).toMatchObject({ source: 'scenario', imageRepository: 'shakedown', kubernetesVersion: 'v1.35.4' });
    expect(refusal(image, 'v1.34.10').message).toContain('boots Kubernetes v1.35.4');
  });

  it('looks for the built image of the version asked for, one tag file per version', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'shakedown-version-'));
    mkdirSync(join(cache, 'node-images'));
    writeFileSync(join(cache, 'node-images', 'v1.34.10.tag'), 'shakedown/node:v1.34.10-abc\n');
    expect(builtImageTagFile('v1.35.4', { SHAKEDOWN_CACHE: cache })).toBe(join(cache, 'node-images', 'v1.35.4.tag'));
    // No v1.35.4 image built: the fallback is kind's upstream image, which the version check then refuses with the build command.
    const image = await resolveNodeImage(undefined, { SHAKEDOWN_CACHE: cache }, { version: 'v1.35.4' });
    expect(image.source).toBe('upstream');
    expect(refusal(image, 'v1.35.4').message).toContain('KUBERNETES_VERSION=v1.35.4 task cluster:images');
  });
});

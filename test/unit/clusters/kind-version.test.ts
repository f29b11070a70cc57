// cluster.kubernetesVersion is honoured or refused: a scenario asking for a
// version the node image does not boot is exit 3 with the reason.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, InfraError } from '../../../src/errors.ts';
import { resolveNodeImage, UPSTREAM_NODE_IMAGE, type NodeImage } from '../../../src/clusters/kind/image.ts';
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
    ['a newer minor on the built image', built, 'v1.35.4', undefined, /^this machine builds node images for v1\.34\.10 only; cluster\.kubernetesVersion asks for v1\.35\.4/],
    ['another patch on the built image', built, 'v1.34.9', undefined, /^this machine builds node images for v1\.34\.10 only/],
    ['the built version on the upstream fallback', upstream, 'v1.34.10', undefined, /upstream node image is Kubernetes v1\.35\.0 .*build this machine's node image of v1\.34\.10 with `task cluster:images`/],
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

  it('knows the built image boots the pinned version, so another asked for is refused before any boot', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'shakedown-version-'));
    // The image tag file names a locally built image; the scenario names it explicitly, so no engine is asked.
    writeFileSync(join(cache, 'node-image.tag'), 'shakedown/node:built\n');
    const image = await resolveNodeImage('shakedown/node:built', { SHAKEDOWN_CACHE: cache });
    expect(versionOfImage(image)).toBe('v1.34.10');
    expect(refusal(image, 'v1.35.4').message).toContain('this machine builds node images for v1.34.10 only');
  });
});

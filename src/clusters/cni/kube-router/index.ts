// kube-router, built on this machine from the Go module proxy. The node image
// carries it, firewall on, as kind's default CNI. The no-firewall variant is
// applied by shakedown with the same manifest and its NetworkPolicy
// controller off: it routes pods but enforces nothing, like a CNI without
// policy support, so the netpol checks can be seen to notice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../../../errors.ts';
import { must } from '../../../tools/exec.ts';
import { PROJECT_ROOT } from '../../../tools/paths.ts';
import { pin } from '../../../tools/versions.ts';
import type { Cni, CniInstallContext } from '../types.ts';

export const kubeRouter: Cni = {
  name: 'kube-router',
  summary: 'kube-router with its NetworkPolicy firewall, built on this machine (the default without a registry)',
  images: 'local',
  enforcesNetworkPolicy: true,
};

/** The node image's kube-router manifest with its placeholders filled and the firewall switched. */
export function kubeRouterManifest(input: { imageRepository: string; podSubnet: string; firewall: boolean }): string {
  const template = readFileSync(join(PROJECT_ROOT, 'clusters', 'manifests', 'kube-router.yaml'), 'utf8');
  const manifest = template.replaceAll('@KUBE_ROUTER_IMAGE@', `${input.imageRepository}/kube-router:${pin('KUBE_ROUTER_VERSION')}`).replaceAll('{{ .PodSubnet }}', input.podSubnet);
  if (!manifest.includes('--run-firewall=true')) throw new Error('clusters/manifests/kube-router.yaml: no --run-firewall=true argument to switch');
  return manifest.replace('--run-firewall=true', `--run-firewall=${input.firewall}`);
}

export const kubeRouterNoFirewall: Cni = {
  name: 'kube-router-no-firewall',
  summary: 'kube-router routing pods with its firewall off: enforces no NetworkPolicy (to see netpol checks catch that)',
  images: 'local',
  enforcesNetworkPolicy: false,
  async install(ctx: CniInstallContext) {
    if (!ctx.imageRepository) throw new InfraError('kube-router-no-firewall runs from the node image built here (task cluster:images)');
    const manifest = kubeRouterManifest({ imageRepository: ctx.imageRepository, podSubnet: ctx.podSubnet, firewall: false });
    await must('kubectl', ['--kubeconfig', ctx.kubeconfig, 'apply', '-f', '-'], { input: manifest, signal: ctx.signal });
    ctx.log('CNI kube-router applied with --run-firewall=false: NetworkPolicies are not enforced');
  },
};

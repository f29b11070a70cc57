// Every CNI shakedown boots clusters with: one folder each, one line here.
import { calico } from './calico/index.ts';
import { cilium } from './cilium/index.ts';
import { kindnet } from './kindnet/index.ts';
import { kubeRouter, kubeRouterNoFirewall } from './kube-router/index.ts';
import type { Cni } from './types.ts';

export const CNI_REGISTRY: Record<string, Cni> = Object.fromEntries([kubeRouter, kubeRouterNoFirewall, kindnet, calico, cilium].map((cni) => [cni.name, cni]));

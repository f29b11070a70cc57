// Version skew against the target, under the Kubernetes version skew policy
// (https://kubernetes.io/releases/version-skew-policy/): the control plane
// moves one minor release at a time; kubelet and kube-proxy must never be
// newer than kube-apiserver and may be at most three minors older (two for
// releases before v1.25). While the control plane is at the target, every
// node still runs its current kubelet until its own turn comes.
import type { Finding } from './findings.ts';
import { minorsBetween, parseKubeVersion, versionText, type KubeVersion } from './k8s-version.ts';
import type { NodeInfo, PodInfo } from './model.ts';

export function maxOlderMinors(component: KubeVersion): number {
  return component.minor >= 25 ? 3 : 2;
}

export function controlPlaneFindings(server: KubeVersion | undefined, target: KubeVersion): Finding[] {
  if (!server) return [{ severity: 'warning', check: 'control-plane-skew', object: 'kube-apiserver', message: 'its version could not be read, so the upgrade step is not checked' }];
  const step = minorsBetween(server, target);
  if (step < 0) {
    return [
      {
        severity: 'blocker',
        check: 'control-plane-skew',
        object: 'kube-apiserver',
        message: `the cluster runs ${versionText(server)}; ${versionText(target)} would be a downgrade, which kubeadm does not support`,
        fix: 'pick a target at or above the current minor release',
      },
    ];
  }
  if (step > 1) {
    const next = { major: server.major, minor: server.minor + 1 };
    return [
      {
        severity: 'blocker',
        check: 'control-plane-skew',
        object: 'kube-apiserver',
        message: `the cluster runs ${versionText(server)}; the control plane may move one minor release at a time, not ${step}`,
        fix: `upgrade to ${versionText(next)} first, then on`,
      },
    ];
  }
  return [{ severity: 'info', check: 'control-plane-skew', object: 'kube-apiserver', message: `${versionText(server)} to ${versionText(target)}: ${step === 0 ? 'a patch upgrade' : 'one minor release'}` }];
}

/** The version a node's kube-proxy runs: nodeInfo when the kubelet still reports it, else its pod's image tag. */
export function kubeProxyVersions(nodes: NodeInfo[], pods: PodInfo[]): Map<string, string | undefined> {
  const fromPods = new Map<string, string>();
  for (const pod of pods) {
    if (!pod.nodeName || pod.namespace !== 'kube-system' || !/^kube-proxy/.test(pod.name)) continue;
    const tag = pod.images.map((i) => /kube-proxy[^:/]*:(v\d+\.\d+\.\d+[^@]*)/.exec(i)?.[1]).find(Boolean);
    if (tag) fromPods.set(pod.nodeName, tag);
  }
  return new Map(nodes.map((n) => [n.name, parseKubeVersion(n.kubeProxyVersion) && n.kubeProxyVersion !== 'v0.0.0' ? n.kubeProxyVersion : fromPods.get(n.name)]));
}

function componentFinding(component: 'kubelet' | 'kube-proxy', node: string, text: string | undefined, target: KubeVersion): Finding | undefined {
  const version = parseKubeVersion(text);
  const check = `${component}-skew`;
  const object = `Node ${node}`;
  if (!version) return component === 'kubelet' ? { severity: 'warning', check, object, node, message: `its ${component} version is unknown (${text || 'not reported'})` } : undefined;
  const behind = minorsBetween(version, target);
  if (behind < 0) {
    return {
      severity: 'blocker',
      check,
      object,
      node,
      message: `${component} ${text} is newer than the target apiserver ${versionText(target)}; the skew policy forbids a ${component} newer than the apiserver`,
      fix: `keep the target at ${versionText({ major: version.major, minor: version.minor })} or above`,
    };
  }
  if (behind > maxOlderMinors(version)) {
    const reachable = { major: version.major, minor: version.minor + maxOlderMinors(version) };
    return {
      severity: 'blocker',
      check,
      object,
      node,
      message: `${component} ${text} is ${behind} minor releases behind ${versionText(target)}; the skew policy allows ${maxOlderMinors(version)}`,
      fix: `upgrade this node while the control plane is at ${versionText(reachable)} or below, then go on`,
    };
  }
  return undefined;
}

export function nodeSkewFindings(nodes: NodeInfo[], pods: PodInfo[], target: KubeVersion): Finding[] {
  const proxies = kubeProxyVersions(nodes, pods);
  const findings = nodes.flatMap((node) => [componentFinding('kubelet', node.name, node.kubeletVersion, target), componentFinding('kube-proxy', node.name, proxies.get(node.name), target)].filter((f): f is Finding => f !== undefined));
  const unknownProxy = nodes.filter((n) => !parseKubeVersion(proxies.get(n.name))).map((n) => n.name);
  if (unknownProxy.length) {
    const names = unknownProxy.slice(0, 3).join(', ') + (unknownProxy.length > 3 ? ` and ${unknownProxy.length - 3} more` : '');
    findings.push({ severity: 'info', check: 'kube-proxy-skew', object: `Node ${names}`, message: 'no kube-proxy version: the kubelet does not report it and no kube-proxy pod runs there (another service proxy?), so it is not checked' });
  }
  return findings;
}

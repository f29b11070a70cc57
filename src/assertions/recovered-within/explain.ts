// Why a deployment is short of ready pods, where its pods' status says so
// plainly: the scheduler placed them nowhere, their image cannot be had, a
// container keeps exiting, a readiness probe fails. Each cause names the
// object and field that decide it; a pod whose status says no more than
// "not ready" leaves the explanation out. Pure.
import type { V1Container, V1ContainerStatus, V1Deployment, V1Pod, V1Probe } from '@kubernetes/client-node';
import type { Explanation } from '../../core/result.ts';
import { andMore } from '../shared/explain-text.ts';
import { isHealthy, podsOf } from '../shared/pods.ts';
import { explainUnschedulable } from './scheduling.ts';
import { readinessFix } from './probe-fix.ts';

/** The kubelet's last word on a pod's failing readiness probe, by pod name (probe-events.ts). */
export type ProbeFailures = ReadonlyMap<string, string>;

type Cause = (deployment: string, pod: V1Pod, probeFailures: ProbeFailures) => Explanation | undefined;

/** The first shortfall whose pods establish a cause, the other deployments with one counted. */
export function explainShortfalls(short: Array<{ deployment: string }>, deployments: V1Deployment[], pods: V1Pod[], probeFailures: ProbeFailures = new Map(), isDown: (node: string) => boolean = () => false): Explanation | undefined {
  const found = short.flatMap(({ deployment }) => {
    const d = deployments.find((x) => x.metadata?.name === deployment);
    const explanation = d && (explainPods(deployment, unreadyPods(d, pods), probeFailures) ?? strandedOnDownNodes(d, pods, isDown));
    return explanation ? [{ deployment, explanation }] : [];
  });
  return (
    found[0] &&
    andMore(
      found[0].explanation,
      found.slice(1).map((f) => f.deployment),
    )
  );
}

/** Pods that count against the deployment and are not on their way out. */
function unreadyPods(deployment: V1Deployment, pods: V1Pod[]): V1Pod[] {
  return podsOf(deployment, pods).filter((p) => !isHealthy(p) && !p.metadata?.deletionTimestamp);
}

/** A pod that is not placed says more than one that runs and fails its probe, so causes are tried in this order, over all the pods. */
const CAUSES: Cause[] = [unschedulable, imageUnavailable, crashLooping, failingReadiness];

export function explainPods(deployment: string, unready: V1Pod[], probeFailures: ProbeFailures = new Map()): Explanation | undefined {
  for (const cause of CAUSES) {
    for (const pod of unready) {
      const found = cause(deployment, pod, probeFailures);
      if (found) return found;
    }
  }
  return undefined;
}

function unschedulable(deployment: string, pod: V1Pod): Explanation | undefined {
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status !== 'False' || scheduled.reason !== 'Unschedulable' || !scheduled.message) return undefined;
  return explainUnschedulable(deployment, pod.spec, scheduled.message);
}

const PULL_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull']);

function imageUnavailable(deployment: string, pod: V1Pod): Explanation | undefined {
  const status = statusesOf(pod).find((s) => PULL_FAILURES.has(s.state?.waiting?.reason ?? ''));
  if (!status) return undefined;
  const image = containerOf(pod, status.name)?.image ?? status.image;
  return {
    cause: `container ${status.name} of Deployment ${deployment} cannot get its image ${image} (${status.state!.waiting!.reason})`,
    fix: `make image ${image} available to the nodes (push it to its registry, or load it into them), or set the image of container ${status.name} in Deployment ${deployment} to one that exists`,
  };
}

function crashLooping(deployment: string, pod: V1Pod): Explanation | undefined {
  const status = statusesOf(pod).find((s) => s.state?.waiting?.reason === 'CrashLoopBackOff');
  if (!status) return undefined;
  const last = status.lastState?.terminated;
  const restarts = `restarted ${status.restartCount} time${status.restartCount === 1 ? '' : 's'}`;
  if (last?.reason === 'OOMKilled') {
    const limit = containerOf(pod, status.name)?.resources?.limits?.memory;
    // Without a limit the node itself ran out of memory: not this container's setting to change.
    if (limit) {
      return {
        cause: `container ${status.name} of Deployment ${deployment} is killed for using more memory than its limit of ${limit} (OOMKilled, ${restarts})`,
        fix: `raise resources.limits.memory of container ${status.name} in Deployment ${deployment} above ${limit}`,
      };
    }
  }
  const how = last ? `${last.reason ?? 'exited'}, exit code ${last.exitCode}` : 'no exit recorded';
  return { cause: `container ${status.name} of Deployment ${deployment} keeps exiting (last: ${how}; ${restarts})` };
}

function failingReadiness(deployment: string, pod: V1Pod, probeFailures: ProbeFailures): Explanation | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const status = (pod.status.containerStatuses ?? []).find((s) => !s.ready && s.state?.running);
  const container = status && containerOf(pod, status.name);
  if (!container?.readinessProbe) return undefined;
  const said = probeFailures.get(pod.metadata?.name ?? '');
  const fix = readinessFix(deployment, container, said);
  return { cause: `the readiness probe of container ${container.name} in Deployment ${deployment} fails (${probeText(container.readinessProbe)}${said ? `: ${said}` : ''})`, ...(fix && { fix }) };
}

/** "GET /healthz on port http", as the probe is written. */
export function probeText(probe: V1Probe): string {
  if (probe.httpGet) return `${probe.httpGet.scheme === 'HTTPS' ? 'HTTPS ' : ''}GET ${probe.httpGet.path ?? '/'} on port ${probe.httpGet.port}`;
  if (probe.tcpSocket) return `TCP connect to port ${probe.tcpSocket.port}`;
  if (probe.grpc) return `gRPC health check on port ${probe.grpc.port}`;
  if (probe.exec) return `exec ${(probe.exec.command ?? []).join(' ')}`;
  return 'no handler';
}

function statusesOf(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function containerOf(pod: V1Pod, name: string): V1Container | undefined {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === name);
}

/** Seconds a pod stays bound to an unreachable node before it is evicted, when nothing says otherwise (DefaultTolerationSeconds). */
const DEFAULT_UNREACHABLE_SECONDS = 300;
const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';

/**
 * Pods still bound to a node that is down, and too few ready elsewhere:
 * nothing replaces them until the node controller evicts them, once their
 * toleration of the unreachable taint runs out.
 */
export function strandedOnDownNodes(deployment: V1Deployment, pods: V1Pod[], isDown: (node: string) => boolean): Explanation | undefined {
  const mine = podsOf(deployment, pods).filter((p) => !p.metadata?.deletionTimestamp);
  const stranded = mine.filter((p) => p.spec?.nodeName && isDown(p.spec.nodeName));
  const replicas = deployment.spec?.replicas ?? 1;
  if (!stranded.length || mine.filter((p) => !stranded.includes(p) && isHealthy(p)).length >= replicas) return undefined;
  const name = deployment.metadata?.name ?? '';
  const nodes = [...new Set(stranded.map((p) => p.spec!.nodeName!))];
  const seconds = stranded[0]!.spec?.tolerations?.find((t) => t.key === UNREACHABLE_TAINT && t.effect === 'NoExecute')?.tolerationSeconds ?? DEFAULT_UNREACHABLE_SECONDS;
  const count = stranded.length === 1 ? '1 pod' : `${stranded.length} pods`;
  return {
    cause: `${count} of Deployment ${name} ${stranded.length === 1 ? 'is' : 'are'} still bound to ${nodes.length === 1 ? `node ${nodes[0]}, which is` : `nodes ${nodes.join(', ')}, which are`} down: Kubernetes replaces ${stranded.length === 1 ? 'it' : 'them'} only once ${stranded.length === 1 ? 'its' : 'their'} toleration of ${UNREACHABLE_TAINT} runs out (${seconds} s), and too few replicas are ready elsewhere meanwhile`,
    fix:
      replicas === 1
        ? `set spec.replicas of Deployment ${name} to at least 2, on different nodes, so one serves while the other waits out those ${seconds} s`
        : `lower tolerationSeconds of the ${UNREACHABLE_TAINT} toleration in Deployment ${name}'s pod template (now ${seconds} s) so its pods are replaced sooner`,
  };
}

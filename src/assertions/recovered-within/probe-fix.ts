// The change that makes a failing readiness probe pass, read off what the
// kubelet said it got back (its Unhealthy event) and how the probe is
// written. Only where the message shows the cause: otherwise no fix line.
import type { V1Container, V1Probe } from '@kubernetes/client-node';

/** One line naming the field to change, or undefined when the cause is not shown. */
export function readinessFix(deployment: string, container: V1Container, said: string | undefined): string | undefined {
  const probe = container.readinessProbe;
  if (!probe) return undefined;
  const field = `spec.template.spec.containers[${container.name}].readinessProbe`;
  const where = `of Deployment ${deployment}`;
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  const declared = (container.ports ?? []).map((p) => (p.name ? `${p.name}=${p.containerPort}` : String(p.containerPort)));
  // A port the container does not declare is the likeliest cause whatever the message says.
  if (port !== undefined && declared.length && !(container.ports ?? []).some((p) => p.name === port || p.containerPort === Number(port))) {
    return `set ${field}.${portField(probe)} ${where} to a port container ${container.name} declares (${declared.join(', ')}); it probes ${port}`;
  }
  if (!said) return undefined;
  if (/connection refused/i.test(said)) {
    return `nothing listens on port ${port} in container ${container.name}: set ${field}.${portField(probe)} ${where} to the port it serves on${declared.length ? ` (it declares ${declared.join(', ')})` : ''}`;
  }
  if (/deadline exceeded|timeout|timed out/i.test(said)) {
    return `raise ${field}.timeoutSeconds ${where} (now ${probe.timeoutSeconds ?? 1} s), or make ${probe.httpGet?.path ?? 'the check'} answer faster`;
  }
  const status = /statuscode: (\d{3})/i.exec(said)?.[1];
  if (status === '404') return `set ${field}.httpGet.path ${where} to a path container ${container.name} serves (${probe.httpGet?.path ?? '/'} answers 404)`;
  if (status?.startsWith('5')) return `container ${container.name} reports itself unready (${probe.httpGet?.path ?? '/'} answers ${status}): fix what its health check depends on, or the check, in Deployment ${deployment}`;
  if (status === '401' || status === '403') return `exempt ${probe.httpGet?.path ?? '/'} from authentication in container ${container.name}, or probe a path that needs none (${field}.httpGet.path ${where}; it answers ${status})`;
  return undefined;
}

function portField(probe: V1Probe): string {
  return probe.httpGet ? 'httpGet.port' : probe.tcpSocket ? 'tcpSocket.port' : 'grpc.port';
}

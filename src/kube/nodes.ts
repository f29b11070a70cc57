// Node facts read off the API's Node objects, in one place.
import type { V1Node } from '@kubernetes/client-node';
import type { NodeObservation } from '../core/disruptions.ts';
import { isSpare } from '../core/node-roles.ts';

/** The Ready condition is True: the kubelet says the node can run pods. */
export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function observeNode(node: V1Node, deleted = false): NodeObservation {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const heartbeat = ready?.lastHeartbeatTime ? new Date(ready.lastHeartbeatTime as unknown as string).getTime() : undefined;
  return { name: node.metadata?.name ?? '', ready: isNodeReady(node), ...(heartbeat !== undefined && !Number.isNaN(heartbeat) && { heartbeatAt: heartbeat }), ...(deleted && { deleted }) };
}

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** What a node is for, read off its labels: the control plane, one of shakedown's spares, or a worker. */
export function nodeRole(labels: Record<string, string>): 'control-plane' | 'spare' | 'worker' {
  return CONTROL_PLANE_LABEL in labels ? 'control-plane' : isSpare(labels) ? 'spare' : 'worker';
}

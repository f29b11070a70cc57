// Standing risks: what is wrong with the cluster's disruption set-up before
// any node drains, each with the object named and a one-line fix.
import { type BudgetLedger, budgetKey, budgetRule } from './budgets.ts';
import type { Finding } from './findings.ts';
import { evictable, podKey, workloadKey, type PodInfo, type Snapshot } from './model.ts';

/** `inScope` limits the findings to some namespaces (the budgets and pods are all still counted). */
export function standingRisks(snapshot: Snapshot, ledger: BudgetLedger, inScope: (namespace: string) => boolean = () => true): Finding[] {
  const findings: Finding[] = [];
  const onNodes = snapshot.pods.filter((p) => p.nodeName && evictable(p) && inScope(p.namespace));

  for (const budget of ledger.budgets.filter((b) => inScope(b.namespace))) {
    const object = `PodDisruptionBudget ${budgetKey(budget)}`;
    const pods = ledger.podsOf(budget);
    if (pods.length === 0) {
      findings.push({
        severity: 'warning',
        check: 'budget-selects-nothing',
        object,
        message: budget.selector ? 'its selector matches no pod in its namespace: it protects nothing' : 'it has no selector, which in policy/v1 selects no pod: it protects nothing',
        fix: "set spec.selector to the labels of the workload's pods, or delete the budget",
      });
      continue;
    }
    const { desired, expected, unknownController } = ledger.target(budget);
    if (unknownController || desired >= expected) {
      const why = unknownController
        ? `${budgetRule(budget)} needs its pods' controllers' replica counts, and some of its pods have no controller preflight can read`
        : `${budgetRule(budget)} with ${expected} pod${expected === 1 ? '' : 's'} expected means ${desired} must stay healthy`;
      const evicted = pods.some((p) => p.nodeName && evictable(p));
      findings.push({
        severity: evicted ? 'blocker' : 'warning',
        check: 'budget-never-allows',
        object,
        message: `it can never allow a disruption: ${why}${evicted ? ', so the drain of every node holding one of its pods blocks' : ''}`,
        fix: `allow one disruption: maxUnavailable: 1${expected > 1 ? `, or minAvailable: ${expected - 1}` : ', with a second replica'}`,
      });
    }
  }

  // A pod under two budgets: the Eviction API answers 500 and never evicts it.
  const sharedBy = new Map<string, PodInfo[]>();
  for (const pod of onNodes) {
    const budgets = ledger.budgetsOf(pod);
    if (budgets.length < 2) continue;
    const key = budgets.map(budgetKey).sort().join(' and ');
    addTo(sharedBy, key, pod);
  }
  for (const [budgets, pods] of sharedBy) {
    findings.push({
      severity: 'blocker',
      check: 'pod-under-two-budgets',
      object: `Pod ${podKey(pods[0]!)}`,
      message: `${podList(pods)} ${pods.length === 1 ? 'is' : 'are'} under budgets ${budgets}: the Eviction API refuses to evict a pod under more than one budget, so its node's drain blocks`,
      fix: 'make the budgets select disjoint pods, one budget per workload',
    });
  }

  const podsByWorkload = new Map<string, PodInfo[]>();
  for (const pod of onNodes) {
    if (!pod.workload) continue;
    const key = workloadKey(pod.namespace, pod.workload);
    addTo(podsByWorkload, key, pod);
  }
  for (const workload of snapshot.workloads.filter((w) => inScope(w.namespace))) {
    const object = `${workload.kind} ${workload.namespace}/${workload.name}`;
    const pods = podsByWorkload.get(workloadKey(workload.namespace, workload)) ?? [];
    if (workload.replicas === 1) {
      findings.push({
        severity: 'warning',
        check: 'single-replica',
        object,
        message: 'one replica: it is down from its eviction until its replacement is Ready, on every drain of its node',
        fix: 'run at least 2 replicas, with a budget of maxUnavailable: 1',
      });
    } else if (pods.length >= 2 && new Set(pods.map((p) => p.nodeName)).size === 1) {
      findings.push({
        severity: 'warning',
        check: 'all-on-one-node',
        object,
        node: pods[0]!.nodeName!,
        message: `all ${pods.length} of its pods run on node ${pods[0]!.nodeName}: that node's drain evicts every one of them`,
        fix: 'spread it: topologySpreadConstraints on kubernetes.io/hostname, or pod anti-affinity',
      });
    }
  }

  for (const pod of onNodes.filter((p) => !p.controller)) {
    findings.push({
      severity: 'warning',
      check: 'no-controller',
      object: `Pod ${podKey(pod)}`,
      node: pod.nodeName!,
      message: 'no controller: once evicted it is gone for good, and kubectl drain refuses it without --force',
      fix: 'run it from a Deployment, StatefulSet or Job',
    });
  }

  // emptyDir data: one finding per workload (or bare pod), not per replica.
  const withLocalData = new Map<string, PodInfo[]>();
  for (const pod of onNodes.filter((p) => p.emptyDirVolumes.length)) {
    const key = pod.workload ? `${pod.workload.kind} ${pod.namespace}/${pod.workload.name}` : `Pod ${podKey(pod)}`;
    addTo(withLocalData, key, pod);
  }
  for (const [object, pods] of withLocalData) {
    const volumes = [...new Set(pods.flatMap((p) => p.emptyDirVolumes))].join(', ');
    findings.push({
      severity: 'warning',
      check: 'emptydir-data',
      object,
      message: `${podList(pods)} keep${pods.length === 1 ? 's' : ''} data in emptyDir (${volumes}): a drain deletes it, and kubectl drain refuses without --delete-emptydir-data`,
      fix: 'keep data that must survive in a PersistentVolume; if it is scratch, drain with --delete-emptydir-data',
    });
  }
  return findings;
}

function podList(pods: PodInfo[]): string {
  const names = pods.slice(0, 3).map(podKey).join(', ');
  return pods.length > 3 ? `${names} and ${pods.length - 3} more` : names;
}

function addTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// kind's known issue: each node's kubelet, kube-proxy and containerd take
// inotify instances from the host's shared pool; with the default 128
// per user, kube-proxy on the later nodes dies with "too many open files".
// Raise the limits to kind's recommended values when we may (root).
import { readFileSync, writeFileSync } from 'node:fs';

const LIMITS: Record<string, number> = {
  '/proc/sys/fs/inotify/max_user_instances': 8192,
  '/proc/sys/fs/inotify/max_user_watches': 524288,
};

/** Returns the limits that are still too low (and could not be raised). */
export function ensureInotifyLimits(): string[] {
  const low: string[] = [];
  for (const [path, want] of Object.entries(LIMITS)) {
    try {
      if (Number(readFileSync(path, 'utf8').trim()) >= want) continue;
      writeFileSync(path, String(want));
    } catch {
      low.push(`${path.replace('/proc/sys/', '').replace(/\//g, '.')} (want >= ${want})`);
    }
  }
  return low;
}

// The apiserver's own record of deprecated APIs requested since it started:
// apiserver_requested_deprecated_apis{group,version,resource,subresource,removed_release} 1
// Each apiserver keeps its own; with several, this is what the one that
// answered has seen.
import type { Finding } from './findings.ts';

export interface DeprecatedApiUse {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** "1.32", or empty when no removal is planned. */
  removedRelease: string;
}

export function parseDeprecatedApiMetric(text: string): DeprecatedApiUse[] {
  const uses: DeprecatedApiUse[] = [];
  for (const line of text.split('\n')) {
    const match = /^apiserver_requested_deprecated_apis\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!match || Number(match[2]) !== 1) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    uses.push({ group: labels.group ?? '', version: labels.version ?? '', resource: labels.resource ?? '', subresource: labels.subresource ?? '', removedRelease: labels.removed_release ?? '' });
  }
  return uses;
}

export function deprecatedApiFindings(uses: DeprecatedApiUse[], targetMinor: number, targetText: string): Finding[] {
  return uses.map((use) => {
    const api = `${use.group ? `${use.group}/` : ''}${use.version} ${use.resource}${use.subresource ? `/${use.subresource}` : ''}`;
    const removedIn = /^1\.(\d+)$/.exec(use.removedRelease);
    const removed = removedIn !== null && Number(removedIn[1]) <= targetMinor;
    return {
      severity: removed ? 'blocker' : 'info',
      check: 'deprecated-api-in-use',
      object: `API ${api}`,
      message: removed
        ? `a client requested it since the apiserver started, and ${targetText} no longer serves it (removed in v${use.removedRelease})`
        : `a client requested this deprecated API since the apiserver started${use.removedRelease ? `; it goes in v${use.removedRelease}` : ''}`,
      ...(removed && { fix: `find the client (the apiserver audit log names it) and move it to a served version of ${use.resource}` }),
    };
  });
}

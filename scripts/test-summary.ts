// The closing line of `task test` over every tier: "N passed, N failed, N
// skipped", then each tier that did not run and why. A tier that did not run
// leaves `<tier>.skipped` holding its reason beside the other results, so a
// skipped e2e tier cannot read as all green. With SHAKEDOWN_REQUIRE_E2E=1
// (CI) an e2e tier that did not run fails the summary.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The e2e tier's results: e2e.json, or one e2e-N.json per shard (scripts/e2e-shards.sh); the CNI matrix's e2e-cni-*.json are another tier. */
const E2E_RESULTS = /^e2e(-\d+)?\.json$/;

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

export interface Summary {
  /** The closing line. */
  line: string;
  /** Why the summary fails the run, if it does. */
  failure?: string;
}

export function summarise(dir: string, env: NodeJS.ProcessEnv): Summary {
  const files = existsSync(dir) ? readdirSync(dir).sort() : [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as VitestReport;
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
  const skippedTiers = files.filter((f) => f.endsWith('.skipped')).map((f) => ({ tier: f.slice(0, -'.skipped'.length), reason: readFileSync(join(dir, f), 'utf8').trim() }));
  const line = [`${passed} passed, ${failed} failed, ${skipped} skipped`, ...skippedTiers.map(({ tier, reason }) => `${tier} tier skipped: ${reason || 'no reason given'}`)].join('; ');

  if (env.SHAKEDOWN_REQUIRE_E2E === '1') {
    const e2e = skippedTiers.find(({ tier }) => tier === 'e2e');
    if (e2e) return { line, failure: `the e2e tier is required here (SHAKEDOWN_REQUIRE_E2E=1) but was skipped: ${e2e.reason || 'no reason given'}` };
    if (!files.some((f) => E2E_RESULTS.test(f))) return { line, failure: `the e2e tier is required here (SHAKEDOWN_REQUIRE_E2E=1) but left no results in ${dir}` };
  }
  return { line };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { line, failure } = summarise('.shakedown/test-results', process.env);
  console.log(line);
  if (failure) {
    console.error(`test-summary: ${failure}`);
    process.exitCode = 1;
  }
}

import { defineConfig } from 'vitest/config';

// The e2e tier: real kind clusters, each booted once and shared by the files
// run on it, in order. scripts/e2e-shards.sh runs it as two shards side by
// side, each on its own cluster (SHAKEDOWN_E2E_SHARD=n/2); without a shard,
// every file runs here.
const ALL = 'test/e2e/**/*.e2e.test.ts';
// The first shard's files, about half the tier's time as measured in CI; the
// second takes every other file, so a new file is never left out.
const FIRST_SHARD = ['test/e2e/scenarios.e2e.test.ts', 'test/e2e/failures.e2e.test.ts'];

function files(shard: string | undefined): { include: string[]; exclude: string[] } {
  if (!shard || shard === '1/1') return { include: [ALL], exclude: [] };
  if (shard === '1/2') return { include: FIRST_SHARD, exclude: [] };
  if (shard === '2/2') return { include: [ALL], exclude: FIRST_SHARD };
  throw new Error(`SHAKEDOWN_E2E_SHARD must be 1/1, 1/2 or 2/2 (got ${shard})`);
}

export default defineConfig({
  test: {
    ...files(process.env.SHAKEDOWN_E2E_SHARD),
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';

// Versions that boot and the upgrade between them (task test:versions): each
// test boots and deletes its own cluster; too slow for .ci/run.
export default defineConfig({
  test: {
    include: ['test/e2e-versions/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 40 * 60_000,
    reporters: ['default'],
  },
});

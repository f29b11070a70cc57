import { defineConfig } from 'vitest/config';

// The CNI matrix: each test boots, uses and deletes its own cluster.
export default defineConfig({
  test: {
    include: ['test/e2e-cni/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    reporters: ['default'],
  },
});

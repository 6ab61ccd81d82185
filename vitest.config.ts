import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Oracle tests run the real SELinux tools in batches.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});

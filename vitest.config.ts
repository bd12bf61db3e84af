import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['editor/src/**/*.test.ts', 'engine/**/*.test.ts', 'nodes/**/*.test.ts', 'models/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

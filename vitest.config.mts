import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The AWS SDK's Node version warning, once per run instead of once per worker.
    setupFiles: ['test/support/sdk-node-warning.ts'],
    globalSetup: ['test/support/sdk-node-warning-note.ts'],
    // End-to-end tests start dynalite and loopback fakes; give them room on a 2-core CI box.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The bot logs JSON lines; show them only for a test that failed.
    silent: 'passed-only',
    // CI also writes a JSON report, from which .ci/run prints its closing count.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.ci/results/vitest.json' },
  },
});

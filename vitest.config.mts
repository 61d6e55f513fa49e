import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests start dynalite and loopback fakes; give them room on a 2-core CI box.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});

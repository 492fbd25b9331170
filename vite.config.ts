import { defineConfig } from 'vitest/config';

// One Vitest config for every package's unit tests. Browser behaviour that
// happy-dom cannot stand in for (real IndexedDB, tabs, sendBeacon) is covered by
// the Playwright specs under tests/e2e.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'packages/*/test/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    setupFiles: ['tests/support/vitest-setup.ts'],
    restoreMocks: true,
    testTimeout: 15_000,
    // PGlite takes ~2 s to open alone, far longer while other files start theirs on 2 cores.
    hookTimeout: 60_000,
  },
});

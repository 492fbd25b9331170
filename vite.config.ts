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
  },
});

import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (see /work/shared/TOOLCHAIN.md,
// "Browser tests"). The resolver rule stops Chromium from reaching Google hosts;
// the EXCLUDEs keep the local contract server reachable.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  globalSetup: './tests/support/build-harness.ts',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  workers: 2,
  // One retry in CI: a 2-core machine running PGlite, servers and Chromium at once can miss a
  // 5 s expectation; scripts/test.mjs names every test that needed it.
  retries: process.env.CI ? 1 : 0,
  timeout: 20_000,
  expect: { timeout: 5_000 },
  reporter: process.env.PLAYWRIGHT_REPORTERS === 'ci' ? [['list'], ['json', { outputFile: '.reports/playwright.json' }]] : 'list',
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
      },
    },
  ],
});

// `npm test`: every check the project has, in one run, ending with the plain
// line `N passed, N failed, N skipped` that CI reads. Typecheck, lint and the
// size budgets count as one check each; Vitest and Playwright report per test.
// Every step runs even when an earlier one fails, so one run shows everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

// The PostgreSQL and Redis tests need real servers: run everything under
// scripts/with-services.sh (throwaway servers on free ports) when they are
// installed, and always in CI (which installs them from Debian). Elsewhere those
// tests report as skipped, with the reason.
const servicesInstalled = () => {
  const postgres = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/initdb`));
  return postgres && spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
};
if (!process.env.THREADLINE_TEST_DATABASE_URL && !process.env.THREADLINE_TEST_SERVICES_TRIED && (process.env.CI === 'true' || servicesInstalled())) {
  const wrapped = spawnSync('bash', ['scripts/with-services.sh', process.execPath, 'scripts/test.mjs'], { stdio: 'inherit', env: { ...process.env, THREADLINE_TEST_SERVICES_TRIED: '1' } });
  process.exit(wrapped.status ?? 1);
}

const REPORTS = '.reports';
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const steps = [
  { name: 'typecheck', command: 'tsc', args: ['--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', command: 'eslint', args: ['.'] },
  { name: 'size budgets', command: 'npm', args: ['run', '--silent', 'size'] },
  {
    name: 'unit tests (vitest)',
    command: 'vitest',
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${REPORTS}/vitest.json`],
    counts: () => {
      const report = JSON.parse(readFileSync(`${REPORTS}/vitest.json`, 'utf8'));
      return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
    },
  },
  {
    name: 'browser tests (playwright, chromium)',
    command: 'playwright',
    args: ['test'],
    env: { PLAYWRIGHT_REPORTERS: 'ci' },
    counts: () => {
      const { stats } = JSON.parse(readFileSync(`${REPORTS}/playwright.json`, 'utf8'));
      // A spec that passed only on its retry is named, so that it gets looked at rather than forgotten.
      if (stats.flaky > 0) console.log(`[threadline] ${stats.flaky} browser test(s) passed only on retry (flaky): see ${REPORTS}/playwright.json`);
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
    },
  },
];

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { stdio: 'inherit', env: { ...process.env, ...step.env, PATH: `node_modules/.bin:${process.env.PATH}` } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
for (const step of steps) {
  const started = Date.now();
  console.log(`\n▶ ${step.name}`);
  const code = await run(step);
  let counts;
  if (step.counts) {
    try {
      counts = step.counts();
    } catch {
      counts = undefined;
    }
  }
  // A runner that crashed before writing its report counts as one failure, never as zero tests.
  if (!counts) counts = code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  for (const key of Object.keys(totals)) totals[key] += counts[key];
  summary.push(`${code === 0 ? 'ok  ' : 'FAIL'} ${step.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

console.log(`\n${summary.join('\n')}`);
if (!existsSync(`${REPORTS}/playwright.json`)) console.log('(no Playwright report was written)');
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

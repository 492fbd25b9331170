// @vitest-environment node
// The identity benchmark (scripts/identity-benchmark.ts, `npm run bench`) on a small
// generated population: whatever else changes, no two people may ever share a contact.
// Recall is a benchmark figure (docs/benchmarks.md), precision is a promise.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';

test('never files two different people into one contact (150 generated people, 1–4 channels each)', async () => {
  const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/identity-benchmark.ts', '--people', '150', '--seed', '7'], { maxBuffer: 1 << 22 }).catch(
    // The script exits 1 when recall misses its goal; its table is still printed.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const row = run.stdout.split('\n').find((line) => /^\| 150 \|/.test(line));
  expect(row, run.stdout).toBeDefined();
  const [people, events, , , , precision] = row!.split('|').slice(1).map((cell) => cell.trim());
  expect(people).toBe('150');
  expect(Number(events?.replace(/,/g, ''))).toBeGreaterThan(300);
  expect(precision).toBe('100.00 %');
}, 120_000);

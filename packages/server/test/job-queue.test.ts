// @vitest-environment node
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase, type Database } from '../src/index.ts';
import { createJobQueue } from '../src/jobs/job-queue.ts';
import { JobFailure } from '../src/jobs/job-failure.ts';

// One PGlite for the file; each test uses its own job kind so queues do not see each other's jobs.
let db: Database;
beforeAll(async () => {
  db = await openDatabase({});
});
afterAll(() => db.close());

let counter = 0;
const kind = () => `test:${++counter}`;
const stateOf = async (id: string) => (await db.query<{ state: string; attempts: number; last_error: string | null }>('select state, attempts, last_error from jobs where id = $1', [id])).rows[0]!;

function clockedQueue() {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const queue = createJobQueue({ db, now: () => now, backoff: (attempt) => attempt * 60_000 });
  return { queue, advance: (ms: number) => (now += ms) };
}

test('runs a job stored in a transaction once, and not at all when the transaction rolls back', async () => {
  const { queue } = clockedQueue();
  const name = kind();
  const seen: unknown[] = [];
  queue.register(name, async (job) => {
    seen.push(job.payload);
  });
  const id = await db.transaction((tx) => queue.enqueue(tx, { kind: name, payload: { n: 1 } }));
  await db
    .transaction(async (tx) => {
      await queue.enqueue(tx, { kind: name, payload: { n: 2 } });
      throw new Error('the lead was refused');
    })
    .catch(() => {});
  expect(await queue.runDue()).toBe(1);
  expect(await queue.runDue()).toBe(0);
  expect(seen).toEqual([{ n: 1 }]);
  expect((await stateOf(id!)).state).toBe('done');
});

test('retries a failing job after its backoff and keeps the last error until it succeeds', async () => {
  const { queue, advance } = clockedQueue();
  const name = kind();
  let calls = 0;
  queue.register(name, async () => {
    calls++;
    if (calls < 3) throw new JobFailure('provider answered 503', { retryable: true });
  });
  const id = (await queue.enqueue(db, { kind: name, payload: {} }))!;
  await queue.runDue();
  expect(await stateOf(id)).toMatchObject({ state: 'queued', attempts: 1, last_error: 'provider answered 503' });
  expect(await queue.runDue()).toBe(0); // not due before its backoff
  advance(60_000);
  await queue.runDue();
  advance(120_000);
  await queue.runDue();
  expect(calls).toBe(3);
  expect(await stateOf(id)).toMatchObject({ state: 'done', attempts: 3, last_error: null });
});

test('waits as long as the provider asks with Retry-After', async () => {
  const { queue, advance } = clockedQueue();
  const name = kind();
  let calls = 0;
  queue.register(name, async () => {
    calls++;
    if (calls === 1) throw new JobFailure('429', { retryable: true, retryAfterMs: 10 * 60_000 });
  });
  await queue.enqueue(db, { kind: name, payload: {} });
  await queue.runDue();
  advance(5 * 60_000);
  expect(await queue.runDue()).toBe(0);
  advance(5 * 60_000);
  expect(await queue.runDue()).toBe(1);
  expect(calls).toBe(2);
});

test('dead-letters a job after its last attempt or a final failure, tells the listener, and can be retried', async () => {
  const { queue, advance } = clockedQueue();
  const name = kind();
  const dead: string[] = [];
  queue.onDeadLetter((job, error) => {
    dead.push(`${job.id}:${error}`);
  });
  let fixed = false;
  queue.register(name, async (job) => {
    if (fixed) return;
    throw new JobFailure(job.payload.final ? 'bot was blocked by the user' : 'timeout', { retryable: !job.payload.final });
  });
  const final = (await queue.enqueue(db, { kind: name, payload: { final: true } }))!;
  const flaky = (await queue.enqueue(db, { kind: name, payload: {}, maxAttempts: 2 }))!;
  await queue.runDue();
  advance(60_000);
  await queue.runDue();
  expect(await stateOf(final)).toMatchObject({ state: 'dead', attempts: 1, last_error: 'bot was blocked by the user' });
  expect(await stateOf(flaky)).toMatchObject({ state: 'dead', attempts: 2, last_error: 'timeout' });
  expect(dead.sort()).toEqual([`${final}:bot was blocked by the user`, `${flaky}:timeout`].sort());

  fixed = true;
  expect(await queue.retry(final)).toBe(true);
  await queue.runDue();
  expect((await stateOf(final)).state).toBe('done');
  expect(await queue.retry(final)).toBe(false); // a finished job is not run again
});

test('queues a job with the same dedupe key once', async () => {
  const { queue } = clockedQueue();
  const name = kind();
  const key = `send:${crypto.randomUUID()}`;
  const first = await queue.enqueue(db, { kind: name, payload: {}, dedupeKey: key });
  const second = await queue.enqueue(db, { kind: name, payload: {}, dedupeKey: key });
  expect(first).toEqual(expect.any(String));
  expect(second).toBeUndefined();
});

test('takes over a job whose process died while running it, once its lease ran out', async () => {
  let now = Date.parse('2026-11-23T10:00:00Z');
  const name = kind();
  const crashed = createJobQueue({ db, now: () => now, leaseMs: 60_000 });
  crashed.register(name, () => new Promise(() => {})); // never settles: the process "dies" holding the job
  const id = (await crashed.enqueue(db, { kind: name, payload: {} }))!;
  void crashed.runDue();
  await expect.poll(async () => (await stateOf(id)).state).toBe('running');

  const survivor = createJobQueue({ db, now: () => now, leaseMs: 60_000 });
  let ran = 0;
  survivor.register(name, async () => {
    ran++;
  });
  expect(await survivor.runDue()).toBe(0);
  now += 61_000;
  expect(await survivor.runDue()).toBe(1);
  expect(ran).toBe(1);
  expect((await stateOf(id)).state).toBe('done');
});

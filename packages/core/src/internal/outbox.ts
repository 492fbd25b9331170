import type { Mutation, MutationKind } from '../adapter';
import { isRetryable, isThreadlineError, ThreadlineError, type ThreadlineErrorCode } from '../errors';
import { backoffDelay } from './backoff';
import type { KeyValueStore } from './storage/key-value-store';

/** A write kept until the server acknowledges it. */
export interface OutboxEntry {
  /** The client id, also the idempotency key. */
  id: string;
  kind: MutationKind;
  payload: unknown;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /** The earliest time the server allowed (Retry-After); waking the outbox never goes below it. */
  notBefore?: number;
  status: 'pending' | 'failed';
  error?: { code: ThreadlineErrorCode; message: string; field?: string };
}

/** Serialises work across tabs; navigator.locks in browsers, an in-page queue elsewhere. */
export interface OutboxLock {
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export interface OutboxOptions {
  site: string;
  store: KeyValueStore;
  lock: OutboxLock;
  now(): number;
  random(): number;
  /** Whether sending is allowed now (consent given, client alive). */
  canSend(): boolean;
  deliver(mutation: Mutation): Promise<unknown>;
  beacon?(mutation: Mutation): boolean;
  onAck(entry: OutboxEntry, result: unknown): void;
  onRejected(entry: OutboxEntry, error: ThreadlineError): void;
  onRetry(entry: OutboxEntry, error: ThreadlineError): void;
  onChange(entries: OutboxEntry[]): void;
}

/** Outbox entries are stored one key each, so tabs never overwrite each other's entries. */
export const ENTRY_PREFIX = 'outbox:';

// A stalled transport must not hold the cross-tab lock forever.
const DELIVERY_TIMEOUT_MS = 30_000;

// These say the whole backend is out of reach: trying the next entry now is pointless.
const STOP_CODES: ReadonlySet<ThreadlineErrorCode> = new Set(['network', 'timeout', 'rate_limited']);

/**
 * The durable outbox: every write is stored before it is sent and removed only
 * when the server acknowledges it. Sends in creation order, backs off with full
 * jitter, honours Retry-After, and holds a cross-tab lock while sending so that
 * two tabs never send the same entry.
 */
export function createOutbox(options: OutboxOptions) {
  const { store, now } = options;
  let draining = false;
  let drainAgain = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const lockName = `threadline:outbox:${options.site}`;

  // The last list read from the store, for pagehide: a closing page cannot wait for IndexedDB.
  let known: OutboxEntry[] = [];

  const readAll = async (): Promise<OutboxEntry[]> => {
    const entries: OutboxEntry[] = [];
    for (const key of await store.keys()) {
      if (!key.startsWith(ENTRY_PREFIX)) continue;
      const entry = await store.get<OutboxEntry>(key);
      if (entry) entries.push(entry);
    }
    // UUID v7 ids sort in creation order (and no two entries share one: the id is the key).
    known = entries.sort((a, b) => (a.id < b.id ? -1 : 1));
    return known;
  };

  const schedule = (entries: OutboxEntry[]) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = Math.min(...entries.filter((entry) => entry.status === 'pending').map((entry) => entry.nextAttemptAt));
    // While nothing may be sent, whatever allows it again (the network back, consent) drains: no timer spins meanwhile.
    if (!stopped && Number.isFinite(next) && options.canSend()) timer = setTimeout(() => void drain(), Math.max(0, next - now()));
  };

  const deliverWithTimeout = (entry: OutboxEntry) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      options.deliver({ kind: entry.kind, clientId: entry.id, payload: entry.payload } as Mutation),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(reject, DELIVERY_TIMEOUT_MS, new ThreadlineError('timeout', 'the server did not answer in time', { retryable: true }));
      }),
    ]).finally(() => clearTimeout(timer));
  };

  const pass = async () => {
    // Read inside the lock: an entry another tab delivered meanwhile is gone already.
    for (const entry of await readAll()) {
      if (stopped || !options.canSend()) return;
      if (entry.status !== 'pending' || entry.nextAttemptAt > now()) continue;
      // The entry may have been acknowledged by another tab since the list was read.
      if (!(await store.get(ENTRY_PREFIX + entry.id))) continue;
      try {
        const result = await deliverWithTimeout(entry);
        await store.del(ENTRY_PREFIX + entry.id);
        // Published from memory: re-reading the whole store after every ack made a drain of N entries cost N² reads.
        known = known.filter((other) => other.id !== entry.id);
        options.onChange(known);
        options.onAck(entry, result);
      } catch (caught) {
        const error = isThreadlineError(caught) ? caught : new ThreadlineError('network', 'sending failed', { retryable: true, cause: caught });
        if (isRetryable(error)) {
          const attempts = entry.attempts + 1;
          const updated: OutboxEntry = {
            ...entry,
            attempts,
            nextAttemptAt: now() + backoffDelay(attempts - 1, options.random, error.retryAfterMs),
            ...(error.retryAfterMs === undefined ? {} : { notBefore: now() + error.retryAfterMs }),
          };
          await store.set(ENTRY_PREFIX + entry.id, updated);
          options.onRetry(updated, error);
          if (STOP_CODES.has(error.code)) return;
        } else {
          const failed: OutboxEntry = { ...entry, status: 'failed', error: error.toJSON() };
          await store.set(ENTRY_PREFIX + entry.id, failed);
          options.onRejected(failed, error);
        }
      }
    }
  };

  async function drain(): Promise<void> {
    if (stopped) return;
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = true;
    try {
      do {
        drainAgain = false;
        if (!options.canSend()) break;
        await options.lock.run(lockName, pass);
      } while (drainAgain && !stopped);
    } catch {
      // Storage failures surface through the store's own fallback; the next trigger retries.
    } finally {
      draining = false;
      if (!stopped) {
        const entries = await readAll().catch(() => []);
        options.onChange(entries);
        schedule(entries);
      }
    }
  }

  return {
    /** Stores the write, then tries to send it. Resolves once it is stored. */
    async enqueue(kind: MutationKind, id: string, payload: unknown): Promise<OutboxEntry> {
      const entry: OutboxEntry = { id, kind, payload, createdAt: now(), attempts: 0, nextAttemptAt: 0, status: 'pending' };
      await store.set(ENTRY_PREFIX + id, entry);
      known = [...known, entry];
      options.onChange(known);
      void drain();
      return entry;
    },
    drain,
    /**
     * Makes every waiting entry due now (the network just came back), except where
     * the server asked for a pause. Runs under the cross-tab lock, so that it never
     * rewrites an entry another tab is sending or has just delivered.
     */
    async wake(): Promise<void> {
      await options.lock
        .run(lockName, async () => {
          for (const entry of await readAll()) {
            const due = Math.max(0, entry.notBefore ?? 0);
            if (entry.status === 'pending' && entry.nextAttemptAt > due) await store.set(ENTRY_PREFIX + entry.id, { ...entry, nextAttemptAt: due });
          }
        })
        .catch(() => {
          // A store that failed here fails in drain too, which reports nothing either: the next trigger retries.
        });
      await drain();
    },
    list: readAll,
    /** On pagehide: hands pending leads to sendBeacon, synchronously. They stay stored until acknowledged. */
    beaconPending(): number {
      if (!options.beacon || !options.canSend()) return 0;
      let queued = 0;
      for (const entry of known) {
        if (entry.status === 'pending' && entry.kind === 'lead' && options.beacon({ kind: 'lead', clientId: entry.id, payload: entry.payload } as Mutation)) queued++;
      }
      return queued;
    },
    stop(): void {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

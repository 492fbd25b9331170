import type { KeyValueStore } from './storage/key-value-store';

/** An anonymous browser as the SDK knows it. */
export interface VisitorRecord {
  visitorId: string;
  sessionId: string;
  /** Visits so far, counting this one; a visit is a session. */
  visitCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
  sessionStartedAt: number;
}

/** A session ends after 30 minutes without activity, as in web analytics tools. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;

export const VISITOR_KEY = 'visitor';
// The cookie mirror carries only the id: cookies travel with every request to the
// host, so they should be as small as possible.
const COOKIE_VISITOR_KEY = 'vid';

export function createVisitorRecord(newId: () => string, now: number): VisitorRecord {
  return { visitorId: newId(), sessionId: newId(), visitCount: 1, firstSeenAt: now, lastSeenAt: now, sessionStartedAt: now };
}

/** Counts activity now: extends the session, or starts a new visit after the idle limit. */
export function touchVisitor(record: VisitorRecord, newId: () => string, now: number): VisitorRecord {
  if (now - record.lastSeenAt > SESSION_IDLE_MS) {
    return { ...record, sessionId: newId(), visitCount: record.visitCount + 1, sessionStartedAt: now, lastSeenAt: now };
  }
  return { ...record, lastSeenAt: now };
}

function isVisitorRecord(value: unknown): value is VisitorRecord {
  const record = value as VisitorRecord | undefined;
  return typeof record?.visitorId === 'string' && typeof record.sessionId === 'string' && typeof record.visitCount === 'number' && typeof record.lastSeenAt === 'number';
}

async function readQuietly<T>(store: KeyValueStore, key: string): Promise<T | undefined> {
  try {
    return await store.get<T>(key);
  } catch {
    return undefined;
  }
}

/**
 * Reads the visitor from the main store and its mirrors; the first complete record
 * wins (main, then localStorage), a cookie id alone rebuilds one. Returns
 * undefined for a browser never seen before.
 */
export async function readVisitor(main: KeyValueStore, mirrors: readonly KeyValueStore[], now: number): Promise<VisitorRecord | undefined> {
  for (const store of [main, ...mirrors]) {
    const record = await readQuietly<unknown>(store, VISITOR_KEY);
    if (isVisitorRecord(record)) return record;
  }
  for (const store of mirrors) {
    const visitorId = await readQuietly<unknown>(store, COOKIE_VISITOR_KEY);
    if (typeof visitorId === 'string' && visitorId.length >= 8) {
      // Only the id survived: the previous session is unknown, so this is a new visit.
      return { visitorId, sessionId: '', visitCount: 0, firstSeenAt: now, lastSeenAt: 0, sessionStartedAt: now };
    }
  }
  return undefined;
}

/** Writes the visitor everywhere, which also heals a store the browser cleared. */
export async function writeVisitor(main: KeyValueStore, mirrors: readonly KeyValueStore[], record: VisitorRecord): Promise<void> {
  await main.set(VISITOR_KEY, record);
  for (const store of mirrors) {
    try {
      if (store.kind === 'cookie') await store.set(COOKIE_VISITOR_KEY, record.visitorId);
      else await store.set(VISITOR_KEY, record);
    } catch {
      // A mirror that cannot be written is simply not a mirror in this browser.
    }
  }
}

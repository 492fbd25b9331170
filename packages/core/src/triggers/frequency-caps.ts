import type { Trigger } from '../schemas/site-config';

/** Synchronous key-value storage for frequency caps, e.g. a consent-aware wrapper of localStorage. */
export interface TriggerStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** The one storage key that holds every trigger's caps (see docs/triggers.md). */
export const TRIGGER_STORAGE_KEY = 'threadline:triggers';

const DAY_MS = 86_400_000;
// Trigger ids are bounded per config (≤ 50), but configs change over the years; keeping
// the most recently fired 100 bounds the stored value without forgetting live triggers.
const MAX_ENTRIES = 100;

/** What is remembered of one trigger: the session it last fired in, how often in it, and when. */
interface CapRecord {
  /** sessionId of the last fire. */
  s: string;
  /** Fires in that session. */
  n: number;
  /** Time of the last fire, ms since the epoch. */
  t: number;
}

type CapRecords = Record<string, CapRecord>;

/** Reads and records trigger fires against `perSession` and `everyDays` caps. */
export interface FrequencyCaps {
  /** True when firing `trigger` now stays within its caps. */
  allows(trigger: Trigger, sessionId: string, now: number): boolean;
  /** Counts a fire of `trigger`. */
  record(trigger: Trigger, sessionId: string, now: number): void;
}

function isRecord(value: unknown): value is CapRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<CapRecord>;
  return typeof record.s === 'string' && typeof record.n === 'number' && typeof record.t === 'number';
}

/** In-memory TriggerStorage: caps last as long as the page. */
export function createMemoryTriggerStorage(): TriggerStorage {
  const values = new Map<string, string>();
  return { get: (key) => values.get(key) ?? null, set: (key, value) => void values.set(key, value) };
}

/**
 * Frequency caps kept as one JSON object under `threadline:triggers`:
 * `{ "<trigger id>": { "s": sessionId, "n": fires in that session, "t": last fire ms } }`.
 * Storage that throws (blocked, full) or holds garbage counts as empty; caps then last
 * for the page only.
 */
export function createFrequencyCaps(storage: TriggerStorage, onError: (message: string, error?: unknown) => void): FrequencyCaps {
  // Used when the given storage fails, so that caps still hold within this page.
  let fallback: CapRecords = {};

  const read = (): CapRecords => {
    let raw: string | null;
    try {
      raw = storage.get(TRIGGER_STORAGE_KEY);
    } catch (error) {
      onError('trigger caps could not be read', error);
      return fallback;
    }
    if (raw === null) return fallback;
    try {
      const parsed: unknown = JSON.parse(raw);
      const records: CapRecords = {};
      if (typeof parsed === 'object' && parsed !== null) {
        for (const [id, record] of Object.entries(parsed)) if (isRecord(record)) records[id] = record;
      }
      return records;
    } catch (error) {
      onError('stored trigger caps are not JSON; starting afresh', error);
      return {};
    }
  };

  return {
    allows(trigger, sessionId, now) {
      const record = read()[trigger.id];
      if (!record) return true;
      const { perSession, everyDays } = trigger.frequency ?? {};
      if (perSession !== undefined && record.s === sessionId && record.n >= perSession) return false;
      if (everyDays !== undefined && now - record.t < everyDays * DAY_MS) return false;
      return true;
    },
    record(trigger, sessionId, now) {
      const records = read();
      const previous = records[trigger.id];
      records[trigger.id] = { s: sessionId, n: previous?.s === sessionId ? previous.n + 1 : 1, t: now };
      const kept = Object.entries(records)
        .sort(([, a], [, b]) => b.t - a.t)
        .slice(0, MAX_ENTRIES);
      fallback = Object.fromEntries(kept);
      try {
        storage.set(TRIGGER_STORAGE_KEY, JSON.stringify(fallback));
      } catch (error) {
        onError('trigger caps could not be stored', error);
      }
    },
  };
}

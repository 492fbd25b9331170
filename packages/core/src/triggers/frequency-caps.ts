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

/** What is remembered of one trigger: `s` the sessionId of its last fire, `n` its fires in that session, `t` the last fire's time (ms). */
type CapRecords = Record<string, { s: string; n: number; t: number } | undefined>;

/** Says whether firing `trigger` now stays within its caps and, when it does, counts the fire. */
export type TakeFire = (trigger: Trigger, sessionId: string, now: number) => boolean;

/**
 * Frequency caps kept as one JSON object under `threadline:triggers`:
 * `{ "<trigger id>": { "s": sessionId, "n": fires in that session, "t": last fire ms } }`.
 * Without storage, or when it throws (blocked, full) or holds something that is not a JSON
 * object, caps last for the page: what this page recorded is kept in memory as well.
 */
export function createFrequencyCaps(storage: TriggerStorage | undefined, onError: (message: string, error: unknown) => void): TakeFire {
  let kept: CapRecords = {};
  const read = (): CapRecords => {
    try {
      const stored: unknown = JSON.parse(storage?.get(TRIGGER_STORAGE_KEY) ?? 'null');
      // A non-object entry (a hand-edited value) reads as a trigger that never fired.
      return typeof stored === 'object' && stored ? (stored as CapRecords) : kept;
    } catch (error) {
      onError('trigger caps could not be read', error);
      return kept;
    }
  };

  return (trigger, sessionId, now) => {
    const records = read();
    const last = records[trigger.id];
    const { perSession, everyDays } = trigger.frequency;
    const sameSession = last?.s === sessionId;
    if (last && ((sameSession && last.n >= (perSession ?? Infinity)) || now - last.t < (everyDays ?? -Infinity) * DAY_MS)) return false;
    records[trigger.id] = { s: sessionId, n: sameSession ? last.n + 1 : 1, t: now };
    kept = Object.fromEntries(
      Object.entries(records)
        .sort(([, a], [, b]) => (b?.t ?? 0) - (a?.t ?? 0))
        .slice(0, MAX_ENTRIES),
    );
    try {
      storage?.set(TRIGGER_STORAGE_KEY, JSON.stringify(kept));
    } catch (error) {
      onError('trigger caps could not be stored', error);
    }
    return true;
  };
}

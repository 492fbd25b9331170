import { createCookieStore } from './cookie-store';
import { createFallbackStore } from './fallback-store';
import { createIndexedDbStore } from './indexeddb-store';
import type { KeyValueStore } from './key-value-store';
import { createLocalStorageStore } from './local-storage-store';
import { createMemoryStore } from './memory-store';

/**
 * Where the client keeps its state. Until storage is allowed (consent mode
 * `required` before `consent(true)`, or after `consent(false)`) everything lives in
 * memory and nothing touches IndexedDB, localStorage or cookies.
 */
export interface Persistence {
  /** Visitor record, person, attribution, thread cache and outbox: IndexedDB → localStorage → memory. */
  readonly main: KeyValueStore;
  /** Independent durable copies of the visitor record, so a cleared store heals from another. */
  mirrors(): readonly KeyValueStore[];
  durable(): boolean;
  /** Moves what memory holds into durable storage and keeps writing there. */
  makeDurable(): Promise<void>;
  /** Deletes everything Threadline stored for the site and goes back to memory. */
  wipe(): Promise<void>;
}

/** Storage the platform may lack or forbid; each falls back on its own. */
export interface StorageFactories {
  indexedDb(site: string): KeyValueStore;
  localStorage(site: string): KeyValueStore;
  cookie(site: string): KeyValueStore;
}

export const BROWSER_STORAGE: StorageFactories = {
  indexedDb: createIndexedDbStore,
  localStorage: createLocalStorageStore,
  cookie: createCookieStore,
};

export function createPersistence(site: string, durableAtStart: boolean, factories: StorageFactories, onFallback: (from: KeyValueStore, error: unknown) => void): Persistence {
  const memory = createMemoryStore();
  const localStore = factories.localStorage(site);
  const cookieStore = factories.cookie(site);
  const durableMain = createFallbackStore([factories.indexedDb(site), localStore, createMemoryStore()], onFallback);
  let current: KeyValueStore = durableAtStart ? durableMain : memory;

  const main: KeyValueStore = {
    get kind() {
      return current.kind;
    },
    get: (key) => current.get(key),
    set: (key, value) => current.set(key, value),
    del: (key) => current.del(key),
    keys: () => current.keys(),
    clear: () => current.clear(),
  };

  return {
    main,
    mirrors: () => (current === memory ? [] : [localStore, cookieStore].filter((store) => store.kind !== durableMain.kind)),
    durable: () => current !== memory,
    async makeDurable() {
      if (current !== memory) return;
      for (const key of await memory.keys()) await durableMain.set(key, await memory.get(key));
      current = durableMain;
    },
    async wipe() {
      const snapshot = new Map<string, unknown>();
      for (const key of await current.keys()) snapshot.set(key, await current.get(key));
      // Each store may be blocked; a blocked store holds nothing of ours to wipe.
      for (const store of [durableMain, localStore, cookieStore]) await store.clear().catch(() => {});
      if (current !== memory) {
        for (const [key, value] of snapshot) await memory.set(key, value);
        current = memory;
      }
    },
  };
}

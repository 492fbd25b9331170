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
  readonly memory: KeyValueStore;
  readonly durable: KeyValueStore;
  /** Every durable store, for wiping: IndexedDB itself, localStorage, cookies. */
  readonly all: readonly KeyValueStore[];
  /** localStorage, where entries land while IndexedDB is failing. */
  readonly local: KeyValueStore;
  /** Makes `main` read and write `store` (memory or durable) from now on. */
  use(store: KeyValueStore): void;
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
  const indexedDb = factories.indexedDb(site);
  const durable = createFallbackStore([indexedDb, localStore, createMemoryStore()], onFallback);
  let current: KeyValueStore = durableAtStart ? durable : memory;

  return {
    main: {
      get kind() {
        return current.kind;
      },
      get: (key) => current.get(key),
      set: (key, value) => current.set(key, value),
      del: (key) => current.del(key),
      keys: () => current.keys(),
      clear: () => current.clear(),
    },
    mirrors: () => (current === memory ? [] : [localStore, cookieStore].filter((store) => store.kind !== durable.kind)),
    memory,
    durable,
    all: [indexedDb, localStore, cookieStore],
    local: localStore,
    use(store) {
      current = store;
    },
  };
}

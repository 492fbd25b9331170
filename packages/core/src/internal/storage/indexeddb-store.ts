import { clear, createStore, del, get, keys, set } from 'idb-keyval';
import type { KeyValueStore } from './key-value-store';

/** One IndexedDB database per site, so that two sites on one origin never mix their visitors. */
export function indexedDbName(site: string): string {
  return `threadline:${site}`;
}

/**
 * IndexedDB through idb-keyval. Opening is lazy, but any first operation, a read
 * included, creates the database: callers that must not create it (consent
 * refused before it was ever given) check `indexedDB.databases()` first.
 * Throws (rejects) when IndexedDB is missing or blocked; the caller falls back.
 */
export function createIndexedDbStore(site: string): KeyValueStore {
  let store: ReturnType<typeof createStore> | undefined;
  const open = () => {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
    store ??= createStore(indexedDbName(site), 'kv');
    return store;
  };
  return {
    kind: 'indexeddb',
    get: async <T>(key: string) => get<T>(key, open()),
    set: async (key, value) => set(key, value, open()),
    del: async (key) => del(key, open()),
    keys: async () => (await keys(open())).map(String),
    clear: async () => clear(open()),
  };
}

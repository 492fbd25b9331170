import type { KeyValueStore } from './key-value-store';

/** A store that lives as long as the page: the fallback when nothing else works, and the store before consent. */
export function createMemoryStore(): KeyValueStore {
  const values = new Map<string, string>();
  return {
    kind: 'memory',
    // Values are kept serialised so that a caller mutating a returned object
    // cannot change what is stored, exactly as with the durable stores.
    get: async <T>(key: string) => {
      const raw = values.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    set: async (key, value) => {
      values.set(key, JSON.stringify(value));
    },
    del: async (key) => {
      values.delete(key);
    },
    keys: async () => [...values.keys()],
    clear: async () => {
      values.clear();
    },
  };
}

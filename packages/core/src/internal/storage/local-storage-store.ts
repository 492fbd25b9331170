import type { KeyValueStore } from './key-value-store';

/** The localStorage key prefix for a site: `threadline:<site>:`. */
export function localStoragePrefix(site: string): string {
  return `threadline:${site}:`;
}

/**
 * localStorage, namespaced per site. Every call touches `localStorage` inside the
 * promise, so a SecurityError (sandboxed iframe, blocked cookies) becomes a rejection.
 */
export function createLocalStorageStore(site: string): KeyValueStore {
  const prefix = localStoragePrefix(site);
  const ownKeys = () => {
    const found: string[] = [];
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (key?.startsWith(prefix)) found.push(key.slice(prefix.length));
    }
    return found;
  };
  return {
    kind: 'localstorage',
    get: async <T>(key: string) => {
      const raw = localStorage.getItem(prefix + key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    set: async (key, value) => {
      localStorage.setItem(prefix + key, JSON.stringify(value));
    },
    del: async (key) => {
      localStorage.removeItem(prefix + key);
    },
    keys: async () => ownKeys(),
    clear: async () => {
      for (const key of ownKeys()) localStorage.removeItem(prefix + key);
    },
  };
}
